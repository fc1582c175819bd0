//! A small DDL vocabulary that renders one logical schema for both backends.
//!
//! Migrations describe tables once, with [`Col`] and [`Table`]; the [`Dialect`] turns that
//! into PostgreSQL or SQLite SQL. What one backend needs and the other cannot do lives in
//! [`postgres`] and [`sqlite`], never in `if postgres` branches inside a migration.
//!
//! Released migrations call these helpers, so their output must never change: add a new
//! helper instead of changing what an existing one renders. The committed schema snapshots
//! (`migration/schema/*.sql`) catch any accidental change.
//!
//! How the backends differ (the one place this is written down):
//!
//! | concept | PostgreSQL | SQLite |
//! |---|---|---|
//! | uuid | `uuid`, default `gen_random_uuid()` | 16-byte `BLOB` (as sqlx binds it), checked, no default |
//! | timestamp | `timestamptz` | RFC 3339 UTC text (`…+00:00`), checked with `julianday` |
//! | json | `jsonb`, shape checked with `jsonb_typeof` | `TEXT`, checked with `json_valid`/`json_type` |
//! | decimal(p,s) | `numeric(p,s)` | exact decimal text, checked (never floating point) |
//! | varchar(n) | `varchar(n)` | `TEXT` with a `length() <= n` check |
//! | integer / bigint / boolean | native | `INTEGER`/`BOOLEAN`, type checked |
//! | `updated_at` | `BEFORE UPDATE` trigger | `AFTER UPDATE` trigger |
//! | nullable same-tenant link | composite FK, `ON DELETE SET NULL (col)` | FK on the id + triggers |
//! | GIN indexes, `COMMENT ON`, IP address check, string-array element check | yes | skipped |

mod column;
mod dialect;
pub(crate) mod postgres;
pub(crate) mod sqlite;
mod table;

pub(crate) use column::{Col, Default};
pub(crate) use dialect::{Dialect, statement_by_statement};
pub(crate) use table::{Index, OnDelete, Table};

/// `text` as an SQL string literal, quotes doubled: every string a migration renders into
/// SQL goes through here (or is bound as a value).
pub(crate) fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}
