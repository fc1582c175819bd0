#!/usr/bin/env bash
# The cost of tenant isolation (V4's row-level security): the application's hot queries on
# a seeded database, run by pgbench as the tables' owner (not confined) and as the
# application's role (confined, in a transaction that first sets app.tenant_id), in
# interleaved runs of the very same SQL. Prints each side's median transaction rate, the
# per-statement latencies, the ratio (target <= 1.10) and the plans the confined role gets.
#
#   bench/tenant-isolation.sh          PRESET=medium RUNS=5 SECONDS_PER_RUN=10 bench/tenant-isolation.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET=${PRESET:-large}
RUNS=${RUNS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
source bench/lib.sh

cargo build --release -q -p migration -p seed -p cli
export APP_ENV=development ADMIN_PASSWORD=bench-admin-password
db=bench_isolation
fresh_db "$db"
url=$(db_url "$db")
DATABASE_URL=$url target/release/migration up >/dev/null 2>&1
echo "seeding the $PRESET preset..."
DATABASE_URL=$url target/release/seed --preset "$PRESET" --quiet >/dev/null
psql -X -q "$url" -c "DO \$\$ BEGIN CREATE ROLE bench_app LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END \$\$"
DATABASE_URL=$url target/release/chatdb db grant-app bench_app >/dev/null
psql -X -q "$url" -c "VACUUM ANALYZE"
app_url=$(echo "$url" | sed 's#://postgres@#://bench_app@#')

# The busiest tenant, its busiest agent, its longest conversation and a customer's e-mail.
read -r tenant agent conversation email < <(psql -X -At -F ' ' "$url" -c "
    WITH t AS (SELECT tenant_id FROM messages GROUP BY 1 ORDER BY count(*) DESC LIMIT 1)
    SELECT t.tenant_id,
        (SELECT assigned_agent_id FROM conversations c WHERE c.tenant_id = t.tenant_id
           AND assigned_agent_id IS NOT NULL AND status IN ('OPEN', 'IN_PROGRESS', 'PENDING')
         GROUP BY 1 ORDER BY count(*) DESC LIMIT 1),
        (SELECT conversation_id FROM messages m WHERE m.tenant_id = t.tenant_id GROUP BY 1 ORDER BY count(*) DESC LIMIT 1),
        (SELECT email FROM customers c WHERE c.tenant_id = t.tenant_id AND email IS NOT NULL ORDER BY id LIMIT 1)
    FROM t")

# The application's hot queries, written as an application without row-level security
# must write them (with their tenant filter), so both sides run the same statements.
queries="SELECT id, subject, priority_score FROM conversations
  WHERE tenant_id = '$tenant' AND assigned_agent_id = '$agent' AND status IN ('OPEN', 'IN_PROGRESS', 'PENDING')
  ORDER BY priority_score DESC LIMIT 25;
SELECT id, sender_type, content, created_at FROM messages
  WHERE tenant_id = '$tenant' AND conversation_id = '$conversation' ORDER BY created_at LIMIT 50;
SELECT id, first_name, last_name FROM customers WHERE tenant_id = '$tenant' AND lower(email) = lower('$email');
SELECT status, count(*) FROM conversations WHERE tenant_id = '$tenant' GROUP BY status;
SELECT count(*) FROM messages WHERE tenant_id = '$tenant' AND NOT is_read;"
one_line() { tr '\n' ' ' | sed 's/;  */;\n/g'; }
{ echo "BEGIN;"; echo "$queries" | one_line; echo; echo "COMMIT;"; } > "$work/owner.sql"
{ echo "BEGIN;"; echo "SELECT set_config('app.tenant_id', '$tenant', true);"; echo "$queries" | one_line; echo; echo "COMMIT;"; } > "$work/app.sql"

echo
echo "Plans as the confined role (tenant $tenant):"
{ echo "BEGIN; SELECT set_config('app.tenant_id', '$tenant', true) \\gset"; echo "$queries" | one_line | sed 's/^/EXPLAIN (COSTS OFF) /'; echo "COMMIT;"; } \
    | psql -X -q "$app_url" | grep -v '^ *$' | grep -v set_config | sed 's/^/    /'

run() { # $1 = url, $2 = script: prints transactions per second, keeps the per-statement report
    pgbench -n -M prepared -c 1 -T "$SECONDS_PER_RUN" -r -f "$2" "$1" > "$work/pgbench.out" 2>&1
    awk '/^tps/ { print $3 }' "$work/pgbench.out"
}
: > "$work/owner_tps"; : > "$work/app_tps"
for i in $(seq 1 "$RUNS"); do
    settle; run "$url" "$work/owner.sql" >> "$work/owner_tps"; cp "$work/pgbench.out" "$work/owner.report"
    settle; run "$app_url" "$work/app.sql" >> "$work/app_tps"; cp "$work/pgbench.out" "$work/app.report"
done
owner=$(median < "$work/owner_tps"); app=$(median < "$work/app_tps")
spread() { sort -n "$1" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.0f-%.0f", lo, hi }'; }

echo
for side in owner app; do
    echo "Per-statement latency as the $side, ms (its last run):"
    awk '/statement latencies/ { on = 1; next } on { printf "    %s\n", $0 }' "$work/$side.report" | cut -c1-150
done
echo
awk -v o="$owner" -v a="$app" -v os="$(spread "$work/owner_tps")" -v as="$(spread "$work/app_tps")" -v runs="$RUNS" 'BEGIN {
    printf "owner (not confined):  %.0f transactions/s (%s), %.3f ms each\n", o, os, 1000 / o
    printf "application (confined): %.0f transactions/s (%s), %.3f ms each, set_config included\n", a, as, 1000 / a
    printf "confined / owner time: %.3fx (target <= 1.10), medians of %d interleaved runs\n", o / a, runs
}'
