//! Ready to outgrow one server: reads the live PostgreSQL catalog and says, table by table,
//! how the schema would be distributed by tenant with Citus — distributed by the tenant
//! column, a reference table (copied to every node), or local (the coordinator's) — and
//! every constraint, key, trigger or function that blocks it, with the fix.
//!
//! A table with the distribution column is distributed; one without it is a reference
//! table when the application maps it (`entity`) or a distributed table points at it
//! (`tenants`), else local (the tools' bookkeeping). Nothing here needs Citus: the rules
//! ([`RULES`]) are Citus's documented requirements, checked against the catalog.

mod catalog;
mod error;
mod rules;

use serde::Serialize;

use catalog::{Catalog, ForeignKey, Table};
pub use error::ScaleError;
pub use rules::{Level, RULES, Rule};

/// How a table would live on a Citus cluster.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Sharded by the distribution column.
    Distributed,
    /// One copy on every node.
    Reference,
    /// Only on the coordinator.
    Local,
}

/// A table's proposed role, and why.
#[derive(Clone, Debug, Serialize)]
pub struct TablePlan {
    /// The table.
    pub table: String,
    /// Its role.
    pub role: Role,
    /// Why that role.
    pub why: String,
}

/// Something that blocks distributing the schema, or needs care.
#[derive(Clone, Debug, Serialize)]
pub struct Finding {
    /// The rule's code (see [`RULES`]).
    pub code: &'static str,
    /// Blocker or warning.
    pub level: Level,
    /// The table concerned.
    pub table: String,
    /// The constraint, index, column or function.
    pub object: String,
    /// What is wrong.
    pub problem: String,
    /// The fix.
    pub fix: String,
}

/// The check's answer.
#[derive(Clone, Debug, Serialize)]
pub struct Plan {
    /// The distribution column.
    pub distribution_column: String,
    /// Every table of the current schema, with its role.
    pub tables: Vec<TablePlan>,
    /// What blocks the plan or needs care, table by table.
    pub findings: Vec<Finding>,
}

impl Plan {
    /// Findings that block distributing the schema.
    pub fn blockers(&self) -> usize {
        self.findings.iter().filter(|f| f.level == Level::Blocker).count()
    }
}

/// Checks the current schema of `db` for distribution by `column` (e.g. `tenant_id`).
pub async fn check<C: sea_orm::ConnectionTrait>(db: &C, column: &str) -> Result<Plan, ScaleError> {
    let catalog = Catalog::read(db).await?;
    let tables = roles(&catalog, column);
    let role_of = |name: &str| tables.iter().find(|t| t.table == name).map(|t| t.role);
    let mut findings = Vec::new();
    for table in &catalog.tables {
        if role_of(&table.name) == Some(Role::Distributed) {
            distributed_table(table, column, &mut findings);
        }
    }
    for key in &catalog.foreign_keys {
        foreign_key(key, column, role_of(&key.table), role_of(&key.parent), &mut findings);
    }
    let distributed: Vec<&str> =
        tables.iter().filter(|t| t.role == Role::Distributed).map(|t| t.table.as_str()).collect();
    for function in &catalog.functions {
        let reads: Vec<&str> =
            distributed.iter().copied().filter(|t| names(&function.body, t)).collect();
        if function.triggers_on.is_empty() {
            if !reads.is_empty() {
                findings.push(finding(
                    "SC08",
                    reads.join(", "),
                    format!("{}()", function.name),
                    format!("queries distributed tables ({})", reads.join(", ")),
                    format!(
                        "SELECT create_distributed_function('{}', '$1', colocate_with := '{}') \
                         with the tenant as its first argument",
                        function.name, reads[0]
                    ),
                ));
            }
            continue;
        }
        for table in &function.triggers_on {
            let others: Vec<&str> = reads.iter().copied().filter(|t| t != table).collect();
            if role_of(table) == Some(Role::Distributed) && !others.is_empty() {
                findings.push(finding(
                    "SC07",
                    table.clone(),
                    format!("{}()", function.name),
                    format!("a trigger of {table} queries {}", others.join(", ")),
                    format!(
                        "keep every query in it to the row's {column} (co-located shards), set \
                         citus.enable_unsafe_triggers, or move the work to the application"
                    ),
                ));
            }
        }
    }
    Ok(Plan { distribution_column: column.to_owned(), tables, findings })
}

/// Each table's role: distributed when it has `column`, reference when the application
/// maps it or a distributed table refers to it (Citus lets a distributed table refer to a
/// reference table, never to a local one), local otherwise.
fn roles(catalog: &Catalog, column: &str) -> Vec<TablePlan> {
    let mapped: Vec<&str> = entity::schema::tables().iter().map(|t| t.name).collect();
    let has_column = |t: &Table| t.columns.iter().any(|(name, ..)| name == column);
    let distributed: Vec<&str> =
        catalog.tables.iter().filter(|t| has_column(t)).map(|t| t.name.as_str()).collect();
    catalog
        .tables
        .iter()
        .map(|t| {
            let referenced = catalog
                .foreign_keys
                .iter()
                .any(|k| k.parent == t.name && distributed.contains(&k.table.as_str()));
            let (role, why) = if has_column(t) {
                (Role::Distributed, format!("has {column}"))
            } else if referenced {
                (Role::Reference, format!("no {column}; distributed tables refer to it"))
            } else if mapped.contains(&t.name.as_str()) {
                (Role::Reference, format!("no {column}; the application maps it"))
            } else {
                (Role::Local, "no tenant column, not the application's: the coordinator's".into())
            };
            TablePlan { table: t.name.clone(), role, why }
        })
        .collect()
}

fn distributed_table(table: &Table, column: &str, findings: &mut Vec<Finding>) {
    for (name, kind, columns) in &table.unique {
        if !columns.iter().any(|c| c == column) {
            let with = [column.to_owned()].into_iter().chain(columns.iter().cloned());
            findings.push(finding(
                "SC01",
                table.name.clone(),
                name.clone(),
                format!("{kind} ({}) does not include {column}", columns.join(", ")),
                format!(
                    "make it ({}): build that unique index CONCURRENTLY, then swap the constraint",
                    with.collect::<Vec<_>>().join(", ")
                ),
            ));
        }
    }
    for (name, not_null, default) in &table.columns {
        if name == column && !not_null {
            findings.push(finding(
                "SC05",
                table.name.clone(),
                name.clone(),
                format!("{column} may be NULL"),
                format!("ALTER TABLE {} ALTER COLUMN {column} SET NOT NULL", table.name),
            ));
        }
        if default.as_deref().is_some_and(|d| d.starts_with("nextval(")) {
            findings.push(finding(
                "SC06",
                table.name.clone(),
                name.clone(),
                format!("filled from a sequence ({})", default.as_deref().unwrap_or_default()),
                "make it bigint fed from the coordinator, or a UUID (gen_random_uuid())".into(),
            ));
        }
    }
    if table.row_security {
        findings.push(finding(
            "SC09",
            table.name.clone(),
            "row level security".into(),
            "row-level security is enabled".into(),
            "check that the policies reach every shard and that app.tenant_id is propagated \
             (citus.propagate_set_commands = 'local')"
                .into(),
        ));
    }
}

fn foreign_key(
    key: &ForeignKey,
    column: &str,
    from: Option<Role>,
    to: Option<Role>,
    findings: &mut Vec<Finding>,
) {
    let pair = format!(
        "({}) → {} ({})",
        key.columns.join(", "),
        key.parent,
        key.parent_columns.join(", ")
    );
    let mut push = |code, problem: String, fix: String| {
        findings.push(finding(code, key.table.clone(), key.name.clone(), problem, fix));
    };
    match (from, to) {
        (Some(Role::Distributed), Some(Role::Distributed)) => {
            let by_tenant = key
                .columns
                .iter()
                .zip(&key.parent_columns)
                .any(|(a, b)| a == column && b == column);
            if !by_tenant {
                push(
                    "SC02",
                    format!("foreign key {pair} does not go through {column}"),
                    format!(
                        "reference ({column}, {}) → {} ({column}, {}) (a unique key on the \
                         parent's ({column}, {}) first)",
                        key.columns.join(", "),
                        key.parent,
                        key.parent_columns.join(", "),
                        key.parent_columns.join(", ")
                    ),
                );
            }
            if key.sets.iter().any(|c| c == column) {
                push(
                    "SC04",
                    format!("foreign key {pair} sets {column} to NULL or its default"),
                    format!(
                        "ON DELETE SET NULL ({}) — only the other columns (PostgreSQL 15)",
                        key.sets
                            .iter()
                            .filter(|c| *c != column)
                            .cloned()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            }
        }
        (Some(Role::Reference | Role::Local), Some(Role::Distributed)) => push(
            "SC03",
            format!("a table that is not distributed refers to a distributed one: {pair}"),
            format!("give {} a {column} and distribute it, or drop the foreign key", key.table),
        ),
        _ => {}
    }
}

fn finding(
    code: &'static str,
    table: String,
    object: String,
    problem: String,
    fix: String,
) -> Finding {
    Finding { code, level: rules::rule(code).level, table, object, problem, fix }
}

/// Whether `body` names `table` as a whole word.
fn names(body: &str, table: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    body.match_indices(table).any(|(at, _)| {
        let before = body[..at].chars().next_back();
        let after = body[at + table.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}
