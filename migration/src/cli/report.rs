//! What the migrate commands print: a line per step as it happens, then the status as a
//! table (or one JSON document).

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};

use crate::backup::Backup;
use crate::history::{History, State};
use crate::metadata::Metadata;
use crate::runner::{Action, Step};

pub(super) fn step(step: &Step, dry_run: bool) {
    let verb = match (step.action, dry_run) {
        (Action::Applied, false) => "Applied",
        (Action::Applied, true) => "Would apply",
        (Action::RolledBack, false) => "Rolled back",
        (Action::RolledBack, true) => "Would roll back",
    };
    println!("{verb} {} ({:.1} ms)", step.migration, step.millis);
}

pub(super) fn status(
    history: &History,
    stored: &Metadata,
    steps: &[Step],
    backup: Option<&Backup>,
    json: bool,
) {
    let applied = history.count(State::Applied);
    let pending = history.count(State::Pending);
    let unknown = history.count(State::Unknown);
    if json {
        let report = serde_json::json!({
            "steps": steps,
            "migrations": history.entries,
            "applied": applied,
            "pending": pending,
            "unknown": unknown,
            "environment": stored.environment,
            "backup": backup,
        });
        println!("{report}");
        return;
    }
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header(["version", "name", "applied at", "state"]);
    for entry in &history.entries {
        let (version, name) = split(&entry.version);
        let at = entry.applied_at.map(|t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string());
        let state = match entry.state {
            State::Applied => "applied",
            State::Pending => "pending",
            State::Unknown => "applied, unknown to this build",
        };
        table.add_row([version, name, &at.unwrap_or_default(), state]);
    }
    println!("{table}");
    let mut summary = format!("{applied} applied, {pending} pending");
    if unknown > 0 {
        summary
            .push_str(&format!(", {unknown} unknown to this build (a newer release applied them)"));
    }
    println!("{summary}");
}

pub(super) fn dry_run(steps: &[Step], statements: &[String], json: bool) {
    if json {
        let report =
            serde_json::json!({ "dry_run": true, "steps": steps, "statements": statements });
        println!("{report}");
        return;
    }
    println!(
        "-- dry run: {} statement(s) executed, then rolled back; nothing changed",
        statements.len()
    );
    for statement in statements {
        println!("{};", statement.trim_end_matches(';'));
    }
}

pub(super) fn created(created: &crate::authoring::Created, json: bool) {
    if json {
        println!("{}", serde_json::json!({ "created": created }));
        return;
    }
    println!("Created {}", created.file.display());
    println!("Registered {} in {}", created.migration, created.registered_in.display());
    println!(
        "Next: write up and down for both backends, then `migrate lint`, `migrate up`, \
         `migrate down -n 1`, `migrate up`, and `migrate schema dump --out \
         migration/schema/<backend>.sql` against a database at head"
    );
}

pub(super) fn lint(report: &crate::lint::Report, json: bool) {
    use crate::lint::Level;
    if json {
        println!("{}", serde_json::json!({ "lint": report, "errors": report.errors() }));
        return;
    }
    let rehearsed = match report.migrations.len() {
        _ if report.statements_given => "the statements given".to_owned(),
        0 => {
            println!("Nothing to lint: no migration is pending (lint --all rehearses them all)");
            return;
        }
        n => format!("{n} migration(s)"),
    };
    println!("Rehearsed {rehearsed} against the live tables, then rolled back: nothing changed");
    if let Some(message) = &report.fails {
        println!("error: the statements fail on the live database: {message}");
    }
    for finding in &report.findings {
        let level = match (&finding.acknowledged, finding.level) {
            (Some(_), _) => "acknowledged",
            (None, Level::Error) => "error",
            (None, Level::Warning) => "warning",
        };
        println!(
            "{level}[{}] {}: {} (~{} rows)",
            finding.code, finding.migration, finding.table, finding.estimated_rows
        );
        println!("  {}", finding.statement);
        println!("  why: {}", finding.why);
        println!("  safe: {}", finding.safe);
        if let Some(reason) = &finding.acknowledged {
            println!("  acknowledged: {reason}");
        }
    }
    let count = |level: Level| {
        report.findings.iter().filter(|f| f.level == level && f.acknowledged.is_none()).count()
    };
    let acknowledged = report.findings.iter().filter(|f| f.acknowledged.is_some()).count();
    println!(
        "{} error(s), {} warning(s), {acknowledged} acknowledged",
        count(Level::Error),
        count(Level::Warning)
    );
}

pub(super) fn backup(backup: &Backup, json: bool) {
    if json {
        println!("{}", serde_json::json!({ "backup": backup }));
    } else {
        println!("Backed up to {backup}");
    }
}

/// `m20240101_000001_core_schema` → (`m20240101_000001`, `core_schema`).
fn split(version: &str) -> (&str, &str) {
    let cut = version.match_indices('_').nth(1).map(|(i, _)| i);
    match cut {
        Some(i) => (&version[..i], &version[i + 1..]),
        None => (version, ""),
    }
}
