//! The rules: what Citus requires of a schema distributed by one column, each with a code
//! and the place in Citus's documentation it comes from.

use serde::Serialize;

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// `create_distributed_table` (or the constraint's creation) fails, or rows are refused.
    Blocker,
    /// Works on Citus only with care (co-location, settings, a distributed function).
    Warning,
}

/// One rule.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Rule {
    /// Its code.
    pub code: &'static str,
    /// How much a finding matters.
    pub level: Level,
    /// What Citus requires.
    pub requires: &'static str,
    /// Where Citus's documentation says so.
    pub citation: &'static str,
}

const DDL: &str = "https://docs.citusdata.com/en/stable/develop/reference_ddl.html";
const MIGRATING: &str = "https://docs.citusdata.com/en/stable/develop/migration_mt_schema.html";
const UDF: &str = "https://docs.citusdata.com/en/stable/develop/api_udf.html";
const LIMITS: &str = "https://docs.citusdata.com/en/stable/develop/reference_workarounds.html";

/// Every rule the check applies.
pub const RULES: &[Rule] = &[
    Rule {
        code: "SC01",
        level: Level::Blocker,
        requires: "every primary key, unique constraint, exclusion constraint and unique index of \
                   a distributed table includes the distribution column",
        citation: DDL,
    },
    Rule {
        code: "SC02",
        level: Level::Blocker,
        requires: "a foreign key between distributed tables includes the distribution column on \
                   both sides (the tables co-located)",
        citation: DDL,
    },
    Rule {
        code: "SC03",
        level: Level::Blocker,
        requires: "no foreign key from a reference or local table to a distributed table",
        citation: DDL,
    },
    Rule {
        code: "SC04",
        level: Level::Blocker,
        requires: "no ON DELETE/UPDATE SET NULL or SET DEFAULT that changes the distribution \
                   column",
        citation: DDL,
    },
    Rule {
        code: "SC05",
        level: Level::Blocker,
        requires: "the distribution column is NOT NULL (a row without it has no shard)",
        citation: MIGRATING,
    },
    Rule {
        code: "SC06",
        level: Level::Warning,
        requires: "sequence-backed columns of distributed tables are bigint and fed from the \
                   coordinator (or replaced by UUIDs)",
        citation: LIMITS,
    },
    Rule {
        code: "SC07",
        level: Level::Warning,
        requires: "a trigger of a distributed table runs on its shard: it may read or write \
                   another table only co-located, by the same tenant, with \
                   citus.enable_unsafe_triggers",
        citation: LIMITS,
    },
    Rule {
        code: "SC08",
        level: Level::Warning,
        requires: "a function that queries distributed tables becomes a distributed function \
                   (create_distributed_function) routed by its tenant argument",
        citation: UDF,
    },
    Rule {
        code: "SC09",
        level: Level::Warning,
        requires: "row-level security policies must exist on every shard and the tenant setting \
                   reach the workers (propagated SET LOCAL)",
        citation: LIMITS,
    },
];

/// The rule of `code`.
pub(crate) fn rule(code: &str) -> &'static Rule {
    RULES.iter().find(|r| r.code == code).unwrap_or(&RULES[0])
}
