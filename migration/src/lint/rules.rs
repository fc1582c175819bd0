//! The rules: squawk's reading of each statement's text, weighed by what only a rehearsal
//! against the live database knows — whether the table existed before the migration, how
//! many rows it holds, and whether the running release's entities map what is dropped.

use squawk_linter::{Linter, Rule};
use squawk_syntax::SourceFile;
use squawk_syntax::ast::{self, AstNode};

use super::tables::Tables;
use super::{Finding, Level};

/// One of our rules: its code, the squawk rules that find candidates for it, and what the
/// operator needs to know.
pub struct LintRule {
    /// The code findings carry, and acknowledgements name.
    pub code: &'static str,
    /// squawk's rules that find the statements.
    squawk: &'static [Rule],
    /// Whether it is about the running release's entities (size does not matter) rather
    /// than locks (which matter only on a table with rows).
    breaks_release: bool,
    /// Why the statement is dangerous.
    pub why: &'static str,
    /// The safe way.
    pub safe: &'static str,
}

/// Every rule, in the order findings are explained.
pub const RULES: &[LintRule] = &[
    LintRule {
        code: "index-not-concurrent",
        squawk: &[Rule::RequireConcurrentIndexCreation, Rule::RequireConcurrentIndexDeletion],
        breaks_release: false,
        why: "building or dropping an index without CONCURRENTLY blocks every write to the \
              table until it is done",
        safe: "CREATE INDEX CONCURRENTLY (DROP INDEX CONCURRENTLY) in a migration that runs \
               outside a transaction",
    },
    LintRule {
        code: "constraint-not-valid",
        squawk: &[Rule::ConstraintMissingNotValid, Rule::AddingForeignKeyConstraint],
        breaks_release: false,
        why: "adding a foreign key or CHECK checks every row while holding a lock that blocks \
              writes (a foreign key: on both tables)",
        safe: "ADD CONSTRAINT … NOT VALID in this migration, VALIDATE CONSTRAINT in a later one",
    },
    LintRule {
        code: "column-type-rewrite",
        squawk: &[Rule::ChangingColumnType],
        breaks_release: false,
        why: "changing a column's type rewrites the table and its indexes under an ACCESS \
              EXCLUSIVE lock: no reads, no writes until it is done",
        safe: "add a column of the new type, backfill it in batches, switch the application, \
               drop the old column in a later release",
    },
    LintRule {
        code: "set-not-null",
        squawk: &[Rule::AddingNotNullableField],
        breaks_release: false,
        why: "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock",
        safe: "ADD CONSTRAINT … CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT in a later \
               migration, then SET NOT NULL (which uses the validated check) and drop the check",
    },
    LintRule {
        code: "required-column",
        squawk: &[Rule::AddingRequiredField],
        breaks_release: false,
        why: "a NOT NULL column without a default cannot be added to a table with rows, and the \
              running release does not write it",
        safe: "add it nullable (or with a constant default), backfill, then make it NOT NULL as \
               set-not-null says",
    },
    LintRule {
        code: "table-rewrite",
        squawk: &[Rule::AddingFieldWithDefault, Rule::PreferRepack],
        breaks_release: false,
        why: "the statement rewrites the whole table under an ACCESS EXCLUSIVE lock (a volatile \
              default, VACUUM FULL, CLUSTER)",
        safe: "add the column without the default and backfill in batches; use pg_repack \
               instead of VACUUM FULL or CLUSTER",
    },
    LintRule {
        code: "breaks-running-release",
        squawk: &[
            Rule::BanDropTable,
            Rule::BanDropColumn,
            Rule::RenamingTable,
            Rule::RenamingColumn,
        ],
        breaks_release: true,
        why: "the release still serving during a rolling deploy maps this table or column; its \
              queries fail as soon as this migration commits",
        safe: "expand, then contract: stop using it in one release (remove it from the \
               entities), drop or rename it in the next",
    },
];

/// What a migration's statements are checked against.
pub(crate) struct Context<'a> {
    pub(crate) migration: &'a str,
    pub(crate) tables: &'a Tables,
    pub(crate) max_rows: u64,
    /// Whether the statements run in a transaction (squawk then knows that a table created
    /// earlier in it is new).
    pub(crate) in_transaction: bool,
}

/// The findings of one migration's `statements`, acknowledged where the migration says so
/// (`-- lint: allow CODE: reason` in any of its statements).
pub(crate) fn check(statements: &[String], context: &Context<'_>) -> Vec<Finding> {
    let acknowledged = acknowledgements(statements);
    let mut findings: Vec<Finding> = Vec::new();
    for text in statements.iter().filter(|s| !is_bookkeeping(s)) {
        let parse = SourceFile::parse(text);
        let mut linter = Linter::from(RULES.iter().flat_map(|r| r.squawk.iter().copied()));
        linter.settings.assume_in_transaction = context.in_transaction;
        let file = parse.tree();
        let mut candidates: Vec<(Rule, std::ops::Range<usize>)> = linter
            .lint(&parse, text)
            .into_iter()
            .map(|v| (v.code, usize::from(v.text_range.start())..usize::from(v.text_range.end())))
            .collect();
        candidates.extend(file.stmts().filter(rewrites_the_table).map(|statement| {
            let range = statement.syntax().text_range();
            (Rule::PreferRepack, usize::from(range.start())..usize::from(range.end()))
        }));
        for (code, range) in candidates {
            let Some(rule) = RULES.iter().find(|r| r.squawk.contains(&code)) else {
                continue;
            };
            let Some(statement) = file.stmts().find(|s| {
                let span = s.syntax().text_range();
                usize::from(span.start()) <= range.start && range.end <= usize::from(span.end())
            }) else {
                continue;
            };
            let Some(finding) = weigh(rule, &statement, text, (code, range), context) else {
                continue;
            };
            let duplicate =
                findings.iter().any(|f| f.code == finding.code && f.statement == finding.statement);
            if !duplicate {
                findings.push(finding);
            }
        }
    }
    for finding in &mut findings {
        finding.acknowledged = acknowledged
            .iter()
            .find(|(code, _)| code == finding.code)
            .map(|(_, reason)| reason.clone());
    }
    findings
}

/// A candidate weighed against the live table: `None` where it is harmless there.
fn weigh(
    rule: &'static LintRule,
    statement: &ast::Stmt,
    text: &str,
    (found, range): (Rule, std::ops::Range<usize>),
    context: &Context<'_>,
) -> Option<Finding> {
    let table = table_of(statement, context.tables)?;
    // A table this migration created, or one that did not exist: nothing can be waiting.
    let rows = context.tables.rows(&table)?;
    let level = if rule.breaks_release {
        let clause = text.get(range).unwrap_or_default();
        if !maps(&table, found, clause) {
            return None;
        }
        Level::Error
    } else if rows == 0 {
        return None;
    } else if rows >= context.max_rows {
        Level::Error
    } else {
        Level::Warning
    };
    Some(Finding {
        code: rule.code,
        level,
        migration: context.migration.to_owned(),
        statement: shorten(&statement.syntax().text().to_string()),
        table,
        estimated_rows: rows,
        why: rule.why,
        safe: rule.safe,
        acknowledged: None,
    })
}

/// `CLUSTER` and `VACUUM FULL`, which squawk leaves to its opt-in advice: a rewrite of
/// the whole table under an ACCESS EXCLUSIVE lock.
fn rewrites_the_table(statement: &ast::Stmt) -> bool {
    let words: Vec<String> = statement
        .syntax()
        .text()
        .to_string()
        .split(|c: char| c.is_whitespace() || c == '(' || c == ',')
        .filter(|w| !w.is_empty())
        .take(3)
        .map(str::to_ascii_lowercase)
        .collect();
    match words.first().map(String::as_str) {
        Some("cluster") => true,
        Some("vacuum") => words.iter().any(|w| w == "full"),
        _ => false,
    }
}

/// The table `statement` works on: the first table it names (the altered one, the indexed
/// one, the dropped one), or the table of the index it drops.
fn table_of(statement: &ast::Stmt, tables: &Tables) -> Option<String> {
    let name = |path: Option<ast::PathRef>| Some(unquote(&path?.segment()?.text()));
    let descendants = || statement.syntax().descendants();
    if let ast::Stmt::DropIndex(_) = statement {
        let index = name(descendants().find_map(ast::IndexRef::cast)?.path_ref())?;
        return tables.table_of_index(&index).map(str::to_owned);
    }
    name(descendants().find_map(ast::TableNameRef::cast)?.path_ref())
}

/// Whether the running release's entities map what `clause` (the text squawk found for
/// `found`) drops or renames: the table, or one of its columns.
fn maps(table: &str, found: Rule, clause: &str) -> bool {
    let entities = entity::schema::tables();
    let Some(mapped) = entities.iter().find(|t| t.name == table) else { return false };
    let skip: &[&str] = match found {
        Rule::BanDropColumn => &["drop", "column", "if", "exists"],
        Rule::RenamingColumn => &["rename", "column"],
        _ => return true, // DROP TABLE, RENAME TO: the table itself
    };
    let column = clause
        .split(|c: char| c.is_whitespace() || c == ';' || c == ',')
        .filter(|w| !w.is_empty())
        .find(|w| !skip.contains(&w.to_ascii_lowercase().as_str()))
        .map(unquote);
    column.is_some_and(|column| mapped.columns.iter().any(|c| c.name == column))
}

/// `"Name"` → `Name`; `Name` → `name` (PostgreSQL folds unquoted names).
fn unquote(name: &str) -> String {
    match name.strip_prefix('"').and_then(|n| n.strip_suffix('"')) {
        Some(quoted) => quoted.replace("\"\"", "\""),
        None => name.to_ascii_lowercase(),
    }
}

/// The runner's own statements (history, metadata, lock, settings), never the migration's.
fn is_bookkeeping(statement: &str) -> bool {
    let head = statement.trim_start().to_ascii_uppercase();
    head.starts_with("SET ")
        || head.starts_with("SELECT")
        || statement.contains("seaql_migrations")
        || statement.contains("chatdb_metadata")
}

/// `(code, reason)` of every `lint: allow CODE: reason` in the statements.
fn acknowledgements(statements: &[String]) -> Vec<(String, String)> {
    statements
        .iter()
        .flat_map(|s| s.match_indices("lint: allow ").map(move |(at, m)| &s[at + m.len()..]))
        .filter_map(|rest| {
            let line = rest.lines().next()?.trim_end_matches("*/").trim();
            let (code, reason) = line.split_once(':')?;
            Some((code.trim().to_owned(), reason.trim().to_owned()))
        })
        .collect()
}

/// One line, at most 120 characters.
fn shorten(statement: &str) -> String {
    let line = statement.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(119) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}
