//! What is copied: every table the entities map, with each column's [`Kind`], its key
//! and the column that names its tenant.

use sea_orm::EntityName;

use crate::TransferError;
use crate::value::{Kind, Value};

/// The column of every tenant table that names its tenant.
pub(crate) const TENANT_COLUMN: &str = "tenant_id";

/// A table to copy.
#[derive(Clone, Debug)]
pub struct TableSpec {
    /// Its name.
    pub name: &'static str,
    /// Its columns, in the entity's order.
    pub columns: Vec<ColumnSpec>,
    /// Positions of the primary key's columns in `columns`.
    pub key: Vec<usize>,
    /// The column naming the row's tenant (`id` for `tenants` itself), if any.
    pub tenant: Option<&'static str>,
}

/// A column to copy.
#[derive(Clone, Debug)]
pub struct ColumnSpec {
    /// Its name.
    pub name: &'static str,
    /// How its values are read and written.
    pub kind: Kind,
}

impl TableSpec {
    /// The column list of a statement: `a, b, c`.
    pub(crate) fn column_list(&self) -> String {
        self.columns.iter().map(|c| c.name).collect::<Vec<_>>().join(", ")
    }

    /// The key of `row` for messages: `id=0193…` or `customer_id=…, tag_id=…`.
    pub(crate) fn describe_key(&self, row: &[Value]) -> String {
        self.describe_columns(row, &self.key)
    }

    /// `name=value, …` of the `columns` (indexes into [`Self::columns`]) of `row`.
    pub(crate) fn describe_columns(&self, row: &[Value], columns: &[usize]) -> String {
        columns
            .iter()
            .map(|&i| {
                let value = row.get(i).map(Value::to_json).unwrap_or_default();
                let shown = value.as_str().map_or_else(|| value.to_string(), str::to_owned);
                format!("{}={}", self.columns[i].name, shown)
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The condition selecting the rows of `tenants` (every row when `None`), with the
    /// ids as the backend's literals (`literal`): UUIDs print as hex, so nothing can be
    /// injected.
    pub(crate) fn tenant_filter(
        &self,
        tenants: Option<&[uuid::Uuid]>,
        literal: fn(&uuid::Uuid) -> String,
    ) -> String {
        match (tenants, self.tenant) {
            (Some(ids), Some(column)) => {
                let list: Vec<String> = ids.iter().map(literal).collect();
                format!(" WHERE {column} IN ({})", list.join(", "))
            }
            _ => String::new(),
        }
    }
}

/// The statements deleting the rows of `tenants` (every row when `None`) from `tables`
/// (ordered parents first), children first.
pub(crate) fn deletes(
    tables: &[TableSpec],
    tenants: Option<&[uuid::Uuid]>,
    literal: fn(&uuid::Uuid) -> String,
) -> Vec<String> {
    tables
        .iter()
        .rev()
        .map(|t| format!("DELETE FROM {}{}", t.name, t.tenant_filter(tenants, literal)))
        .collect()
}

/// The `tenants` table among `tables`.
pub(crate) fn tenants_table(tables: &[TableSpec]) -> Result<&TableSpec, TransferError> {
    let name = entity::tenants::Entity.table_name();
    tables.iter().find(|t| t.name == name).ok_or(TransferError::UnsupportedColumn {
        table: "tenants",
        column: "id",
        column_type: "missing".to_owned(),
    })
}

/// Every table of the entities, in name order.
pub fn all() -> Result<Vec<TableSpec>, TransferError> {
    let tenants_table = entity::tenants::Entity.table_name();
    entity::schema::tables()
        .into_iter()
        .map(|table| {
            let columns = table
                .columns
                .iter()
                .map(|column| {
                    Kind::of(&column.column_type)
                        .map(|kind| ColumnSpec { name: column.name, kind })
                        .ok_or_else(|| TransferError::UnsupportedColumn {
                            table: table.name,
                            column: column.name,
                            column_type: format!("{:?}", column.column_type),
                        })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let position = |name: &str| columns.iter().position(|c| c.name == name);
            let key = table.primary_key.iter().filter_map(|name| position(name)).collect();
            let tenant = if table.name == tenants_table {
                table.primary_key.first().copied()
            } else {
                position(TENANT_COLUMN).map(|_| TENANT_COLUMN)
            };
            Ok(TableSpec { name: table.name, columns, key, tenant })
        })
        .collect()
}

/// `tables` ordered so that every table comes after the tables it references (`edges`:
/// `(child, parent)` pairs from the database's foreign keys; self-references ignored).
pub(crate) fn parents_first(
    mut tables: Vec<TableSpec>,
    edges: &[(String, String)],
) -> Vec<TableSpec> {
    let mut ordered = Vec::with_capacity(tables.len());
    while !tables.is_empty() {
        let ready = tables
            .iter()
            .position(|t| {
                !edges.iter().any(|(child, parent)| {
                    child == t.name && parent != t.name && tables.iter().any(|o| o.name == parent)
                })
            })
            .unwrap_or(0); // a cycle: take the next one; the checks at the end still hold
        ordered.push(tables.remove(ready));
    }
    ordered
}

#[cfg(test)]
#[expect(clippy::unwrap_used, reason = "a test fails loudly on anything unexpected")]
mod tests {
    use super::*;

    #[test]
    fn every_column_of_the_entities_can_be_copied_and_every_table_has_a_key() {
        let tables = all().unwrap();
        assert_eq!(tables.len(), entity::schema::tables().len());
        for table in &tables {
            assert!(!table.key.is_empty(), "{}", table.name);
            let tenant_less = table.name == entity::audit_logs::Entity.table_name();
            assert!(table.tenant.is_some() || tenant_less, "{}", table.name);
        }
    }

    #[test]
    fn parents_come_before_children() {
        let edges =
            [("messages", "conversations"), ("conversations", "tenants"), ("users", "users")]
                .map(|(a, b)| (a.to_owned(), b.to_owned()));
        let tables: Vec<TableSpec> = all()
            .unwrap()
            .into_iter()
            .filter(|t| ["messages", "conversations", "tenants", "users"].contains(&t.name))
            .collect();
        let names: Vec<_> = parents_first(tables, &edges).iter().map(|t| t.name).collect();
        let at = |name| names.iter().position(|n| *n == name).unwrap();
        assert!(at("tenants") < at("conversations") && at("conversations") < at("messages"));
    }
}
