#!/usr/bin/env bash
# `migrate lint` beside squawk (pip install squawk-cli) on the lint corpus
# (migration/tests/lint-corpus/CODE.sql, each a statement on `messages`), in three places:
# on messages (rows: V3's sample data), on a table created by the same statements, and on
# an empty table (automations). Prints each tool's findings and, where they differ, why.
# Every squawk finding about a lock on a table with rows must also be ours.
#
#   bench/lint-vs-squawk.sh
set -euo pipefail
cd "$(dirname "$0")/.."
command -v squawk >/dev/null || { echo "squawk not found: pip install squawk-cli" >&2; exit 2; }
source bench/lib.sh

cargo build -q -p migration
export APP_ENV=development ADMIN_PASSWORD=bench-admin-password
db=bench_lint
fresh_db "$db"
url=$(db_url "$db")
DATABASE_URL=$url target/debug/migration up >/dev/null 2>&1

missing=0
for file in migration/tests/lint-corpus/*.sql; do
    sql=$(cat "$file")
    for place in messages created empty; do
        case $place in
            messages) text=$sql ;;
            created) text="CREATE TABLE lint_fresh (id uuid, tenant_id uuid, created_at timestamptz NOT NULL); ${sql//messages/lint_fresh}" ;;
            empty) text=${sql//messages/automations} ;;
        esac
        printf '%s\n' "$text" > "$work/case.sql"
        theirs=$(squawk --reporter json "$work/case.sql" 2>/dev/null || true)
        ours=$(DATABASE_URL=$url target/debug/migration --json lint --sql "$text" --max-rows 1 2>/dev/null || true)
        THEIRS=$theirs OURS=$ours CASE="$(basename "$file" .sql) on $place" PLACE=$place python3 - <<'PY' || missing=1
import json, os, sys
theirs = {f["rule_name"] for f in json.loads(os.environ["THEIRS"] or "[]")}
ours = {f["code"] for f in json.loads(os.environ["OURS"])["lint"]["findings"]}
# squawk's rule -> ours (what each of our rules builds on)
mapping = {
    "require-concurrent-index-creation": "index-not-concurrent",
    "require-concurrent-index-deletion": "index-not-concurrent",
    "constraint-missing-not-valid": "constraint-not-valid",
    "adding-foreign-key-constraint": "constraint-not-valid",
    "changing-column-type": "column-type-rewrite",
    "adding-not-nullable-field": "set-not-null",
    "adding-required-field": "required-column",
    "adding-field-with-default": "table-rewrite",
    "renaming-column": "breaks-running-release",
    "renaming-table": "breaks-running-release",
    "ban-drop-column": "breaks-running-release",
    "ban-drop-table": "breaks-running-release",
}
not_ours = {
    "require-lock-timeout": "the runner sets lock_timeout (--lock-timeout) on every migration",
    "require-statement-timeout": "the runner sets statement_timeout = 0 on purpose: a migration may run long",
    "prefer-robust-stmts": "every migration runs in a transaction (or, outside one, is told to be idempotent)",
    "require-timeout-settings": "the runner sets both timeouts",
}
for style in ["prefer-bigint-over-int", "prefer-bigint-over-smallint", "prefer-timestamp-tz",
              "prefer-text-field", "ban-char-field", "prefer-identity"]:
    not_ours[style] = "a choice of type, not a lock: SCHEMA.md decides types"
place = os.environ["PLACE"]
print(f"{os.environ['CASE']:45} squawk: {', '.join(sorted(theirs)) or '-'}")
print(f"{'':45} ours:   {', '.join(sorted(ours)) or '-'}")
failed = False
for rule in sorted(theirs):
    if rule in not_ours:
        if place == "messages":
            print(f"{'':45}   {rule}: not ours, {not_ours[rule]}")
        continue
    code = mapping.get(rule)
    if code in ours:
        continue
    if place == "created":
        why = "the table is created by the same statements: nothing can be waiting on it"
    elif place == "empty" and code != "breaks-running-release":
        why = "the table is empty: the lock is held for no time"
    else:
        why = "MISSING: a lock on a table with rows that squawk sees and we do not"
        failed = True
    print(f"{'':45}   {rule}: not ours, {why}")
for code in sorted(ours - {mapping.get(r) for r in theirs}):
    print(f"{'':45}   {code}: ours only (squawk does not read this statement so)")
sys.exit(1 if failed else 0)
PY
    done
done
[ "$missing" = 0 ] && echo "Every squawk finding about a lock on a table with rows is also ours." || { echo "Some are missing (above)."; exit 1; }
