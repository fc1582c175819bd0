//! What every entity with a UUID key does on save: new rows get a UUIDv7, and on SQLite
//! the values that AFTER triggers computed are read back, since RETURNING cannot see them.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, EntityTrait, PrimaryKeyTrait};
use uuid::Uuid;

/// On SQLite, when `needed`, the row as stored (AFTER triggers included); otherwise
/// `model` as returned by the write.
pub(crate) async fn read_back<E, C>(
    db: &C,
    id: Uuid,
    model: E::Model,
    needed: bool,
) -> Result<E::Model, DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<Uuid>,
{
    if !needed || db.get_database_backend() != DbBackend::Sqlite {
        return Ok(model);
    }
    E::find_by_id(id).one(db).await?.ok_or_else(|| {
        DbErr::RecordNotFound(format!("{} {id} vanished after saving", E::default().table_name()))
    })
}

/// The `ActiveModelBehavior` of an entity keyed by `id: Uuid`:
///
/// * `uuid_v7_behaviour!()`: `new()` sets a fresh UUIDv7 id;
/// * `uuid_v7_behaviour!(read_back_updates)`: and, on SQLite, re-reads the row after an
///   update (its `updated_at` trigger runs after RETURNING);
/// * `uuid_v7_behaviour!(read_back_all_saves)`: and after inserts too (computed columns).
macro_rules! uuid_v7_behaviour {
    () => {
        impl ActiveModelBehavior for ActiveModel {
            /// A new row with a fresh time-ordered (v7) id.
            fn new() -> Self {
                Self { id: sea_orm::ActiveValue::Set(Uuid::now_v7()), ..ActiveModelTrait::default() }
            }
        }
    };
    (read_back_updates) => {
        $crate::triggers::uuid_v7_behaviour!(@read_back |insert: bool| !insert);
    };
    (read_back_all_saves) => {
        $crate::triggers::uuid_v7_behaviour!(@read_back |_insert: bool| true);
    };
    (@read_back $needed:expr) => {
        #[async_trait::async_trait]
        impl ActiveModelBehavior for ActiveModel {
            /// A new row with a fresh time-ordered (v7) id.
            fn new() -> Self {
                Self { id: sea_orm::ActiveValue::Set(Uuid::now_v7()), ..ActiveModelTrait::default() }
            }

            async fn after_save<C: ConnectionTrait>(
                model: Model,
                db: &C,
                insert: bool,
            ) -> Result<Model, DbErr> {
                let needed: fn(bool) -> bool = $needed;
                $crate::triggers::read_back::<Entity, C>(db, model.id, model, needed(insert)).await
            }
        }
    };
}

pub(crate) use uuid_v7_behaviour;
