#!/usr/bin/env bash
# The cost of tenant isolation (V4's row-level security): the application's hot queries on
# a seeded database, as the tables' owner (not confined) and as the application's role
# (confined, its transaction first sets app.tenant_id), the very same SQL. Both sides run
# in the same pgbench runs, transaction by transaction in random order (two weighted
# scripts; the confined one starts with SET LOCAL ROLE to the application's role, the
# owner's with a SET LOCAL ROLE to itself), so that a noisy machine slows both alike.
# Prints the plans the confined role gets, each side's mean transaction latency per run,
# the per-statement latencies and the ratio of the medians (target <= 1.10).
# The URL (BENCH_DATABASE_URL or the throwaway cluster) must be allowed to SET ROLE.
#
#   bench/tenant-isolation.sh          PRESET=medium RUNS=5 SECONDS_PER_RUN=20 bench/tenant-isolation.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET=${PRESET:-large}
RUNS=${RUNS:-3}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
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
# must write them (with their tenant filter), so both sides run the same statements -- but
# for the customer by e-mail, which the confined application looks up as the product says
# (entity's find_by_email: customers_with_email), since its own lower(email) = … cannot use
# the unique index under row-level security (lower is not leakproof). BY_EMAIL=plain runs
# the plain query on both sides, to see that cost.
queries="SELECT id, subject, priority_score FROM conversations
  WHERE tenant_id = '$tenant' AND assigned_agent_id = '$agent' AND status IN ('OPEN', 'IN_PROGRESS', 'PENDING')
  ORDER BY priority_score DESC LIMIT 25;
SELECT id, sender_type, content, created_at FROM messages
  WHERE tenant_id = '$tenant' AND conversation_id = '$conversation' ORDER BY created_at LIMIT 50;
SELECT id, first_name, last_name FROM customers WHERE tenant_id = '$tenant' AND lower(email) = lower('$email');
SELECT status, count(*) FROM conversations WHERE tenant_id = '$tenant' GROUP BY status;
SELECT count(*) FROM messages WHERE tenant_id = '$tenant' AND NOT is_read;"
by_email="SELECT id, first_name, last_name FROM customers_with_email('$tenant', '$email');"
one_line() { tr '\n' ' ' | sed 's/;  */;\n/g'; }
app_queries() {
    if [ "${BY_EMAIL:-function}" = plain ]; then echo "$queries" | one_line
    else echo "$queries" | one_line | sed "s/^SELECT id, first_name, last_name FROM customers WHERE .*/$by_email/"; fi
}
owner_role=$(psql -X -At "$url" -c "SELECT current_user")
{ echo "BEGIN;"; echo "SET LOCAL ROLE $owner_role;"; echo "$queries" | one_line; echo; echo "COMMIT;"; } > "$work/owner.sql"
{ echo "BEGIN;"; echo "SET LOCAL ROLE bench_app;"; echo "SELECT set_config('app.tenant_id', '$tenant', true);"
  app_queries; echo; echo "COMMIT;"; } > "$work/app.sql"

echo
echo "Plans as the confined role (tenant $tenant):"
{ echo "BEGIN; SELECT set_config('app.tenant_id', '$tenant', true) \\gset"; app_queries | sed 's/^/EXPLAIN (COSTS OFF) /'; echo "COMMIT;"; } \
    | psql -X -q "$app_url" | grep -v '^ *$' | grep -v set_config | sed 's/^/    /'

# Mean latency of script $2 (1 = owner, 2 = application) in pgbench report $1.
script_latency() { awk -v n="$2" '/^SQL script/ { s++ } s == n && /latency average/ { print $5 }' "$1"; }
: > "$work/owner_ms"; : > "$work/app_ms"
for i in $(seq 1 "$RUNS"); do
    settle
    pgbench -n -M prepared -c 1 -T "$SECONDS_PER_RUN" -r -f "$work/owner.sql@1" -f "$work/app.sql@1" "$url" \
        > "$work/report" 2>&1
    script_latency "$work/report" 1 >> "$work/owner_ms"
    script_latency "$work/report" 2 >> "$work/app_ms"
    printf "run %d: owner %.3f ms, application %.3f ms per transaction\n" "$i" "$(tail -1 "$work/owner_ms")" "$(tail -1 "$work/app_ms")"
done
owner=$(median < "$work/owner_ms"); app=$(median < "$work/app_ms")

# Per statement, from the last run: the same statements, the application's set_config apart.
latencies() { # script $1's statements of the last report, "statement<TAB>ms"
    awk -v n="$1" '/^SQL script/ { s++; on = 0 } s == n && /statement latencies/ { on = 1; next }
        s == n && on { ms = $1; $1 = ""; $2 = ""; sub(/^ +/, ""); print substr($0, 1, 60) "\t" ms }' "$work/report" \
        | sed -E 's/^SELECT id, first_name, last_name FROM customers[^\t]*/(customer by e-mail)/'
}
echo
echo "Per statement (last run), ms:"
echo "    owner    app      app/owner  statement"
join -t $'\t' -a 2 <(latencies 1 | grep -v "SET LOCAL ROLE" | sort) <(latencies 2 | grep -v "SET LOCAL ROLE" | sort) \
    | awk -F '\t' '{ if (NF == 3) printf "    %-8.3f %-8.3f %-10s %s\n", $2, $3, sprintf("%.2fx", $3 / $2), $1;
                      else printf "    %-8s %-8.3f %-10s %s\n", "-", $2, "(app only)", $1 }'
echo
awk -v o="$owner" -v a="$app" -v runs="$RUNS" 'BEGIN {
    printf "owner (not confined):   %.3f ms per transaction\n", o
    printf "application (confined): %.3f ms per transaction, set_config included\n", a
    printf "confined / owner: %.3fx (target <= 1.10), medians of %d mixed runs\n", a / o, runs
}'
