//! The schema as the entities see it: every table and column with its type and
//! nullability. Tools compare it with a live database (`migrate validate`); the seeder and
//! the tests take table and column names from here instead of spelling them.

use sea_orm::sea_query::ColumnType;
use sea_orm::{ColumnTrait, EntityTrait, IdenStatic, Iterable, PrimaryKeyToColumn};

use crate::prelude::*;

/// A table as an entity maps it.
#[derive(Clone, Debug)]
pub struct EntityTable {
    /// The table's name.
    pub name: &'static str,
    /// Its columns, in declaration order.
    pub columns: Vec<EntityColumn>,
    /// The columns of its primary key.
    pub primary_key: Vec<&'static str>,
}

/// A column as an entity maps it.
#[derive(Clone, Debug)]
pub struct EntityColumn {
    /// The column's name.
    pub name: &'static str,
    /// The type sea-orm reads and writes.
    pub column_type: ColumnType,
    /// Whether the model field is an `Option`.
    pub nullable: bool,
}

fn describe<E: EntityTrait>() -> EntityTable {
    EntityTable {
        name: E::default().table_name(),
        columns: E::Column::iter()
            .map(|column| {
                let def = column.def();
                EntityColumn {
                    name: column.as_str(),
                    column_type: def.get_column_type().clone(),
                    nullable: def.is_null(),
                }
            })
            .collect(),
        primary_key: E::PrimaryKey::iter().map(|key| key.into_column().as_str()).collect(),
    }
}

/// Every table the entities map, by name.
pub fn tables() -> Vec<EntityTable> {
    vec![
        describe::<AuditLogs>(),
        describe::<Automations>(),
        describe::<ConversationTags>(),
        describe::<Conversations>(),
        describe::<CustomerTags>(),
        describe::<Customers>(),
        describe::<FileAttachments>(),
        describe::<Messages>(),
        describe::<NotificationSettings>(),
        describe::<PerformanceMetrics>(),
        describe::<Subscriptions>(),
        describe::<Tags>(),
        describe::<Tenants>(),
        describe::<UserSessions>(),
        describe::<Users>(),
        describe::<Webhooks>(),
    ]
}
