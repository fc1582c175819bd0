#!/usr/bin/env bash
# Tenant moves as rebalancing: the busiest tenant of a PRESET (default large) database
# moved between two PostgreSQL databases with `chatdb copy --tenant ID --move`, beside a
# whole copy of the same database (PostgreSQL -> PostgreSQL) in the same run. Each of RUNS
# (default 3) runs moves the tenant out of the large database into an emptied one (which
# loads in bulk: the target holds fewer rows than the move brings), back into the large
# one (through the indexes), and copies the whole database. Prints each move's rows,
# seconds and rows/s, the time the moved tenant's rows were locked in the source (from the
# lock on its tenant row to the delete's commit), and, per direction, the ratio of the
# medians to the whole copy's. The goal (>= 0.5x) is the move out of the large database.
#
#   bench/tenant-move.sh          PRESET=medium RUNS=5 bench/tenant-move.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET=${PRESET:-large}
RUNS=${RUNS:-3}
source bench/lib.sh

cargo build --release -q -p cli -p migration -p seed
chatdb=target/release/chatdb
export APP_ENV=development ADMIN_PASSWORD=bench-admin-password

migrated() {
    fresh_db "$1"
    DATABASE_URL=$(db_url "$1") target/release/migration up >/dev/null 2>&1
}
field() { python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }

migrated bench_move_a
migrated bench_move_b
a=$(db_url bench_move_a)
b=$(db_url bench_move_b)
echo "seeding the $PRESET preset into bench_move_a..."
DATABASE_URL=$a target/release/seed --preset "$PRESET" --quiet >/dev/null
psql -X -q "$a" -c "VACUUM ANALYZE"
tenant=$(psql -X -At "$a" -c "SELECT tenant_id FROM messages GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
echo "busiest tenant: $tenant ($(psql -X -At "$a" -c "SELECT count(*) FROM messages WHERE tenant_id = '$tenant'") messages)"

: > "$work/out" ; : > "$work/back" ; : > "$work/whole"
move() { # FROM TO FILE LABEL
    settle
    report=$($chatdb --json copy --from "$1" --to "$2" --tenant "$tenant" --move)
    rows=$(field "['rows']" <<<"$report"); seconds=$(field "['seconds']" <<<"$report")
    locked=$(field "['source_locked_seconds']" <<<"$report")
    path=$(field "['bare_load'] and 'in bulk' or 'through the indexes'" <<<"$report")
    rate=$(python3 -c "print(round($rows / $seconds))")
    echo "run $run  $4  $rows rows in $(printf '%.2f' "$seconds") s: $rate rows/s, source rows locked $(printf '%.2f' "$locked") s, loaded $path"
    echo "$rate $locked" >> "$work/$3"
}
for run in $(seq 1 "$RUNS"); do
    move "$a" "$b" out "move out "
    move "$b" "$a" back "move back"
    empty_db bench_move_whole
    report=$($chatdb --json copy --from "$a" --to "$(db_url bench_move_whole)")
    rows=$(field "['rows']" <<<"$report"); rate=$(field "['rows_per_second']" <<<"$report")
    echo "run $run  whole      $rows rows: $(printf '%.0f' "$rate") rows/s"
    printf '%.0f\n' "$rate" >> "$work/whole"
done
whole=$(median < "$work/whole")
echo
echo "median whole copy: $whole rows/s"
for direction in out back; do
    rate=$(cut -d' ' -f1 "$work/$direction" | median)
    locked=$(cut -d' ' -f2 "$work/$direction" | median)
    case $direction in
        out) what="out of the $PRESET database (goal >= 0.50x)" ;;
        back) what="back into it, beside its other tenants" ;;
    esac
    ratio=$(python3 -c "print(f'{$rate / $whole:.2f}')")
    echo "median move $what: $rate rows/s, source rows locked $(printf '%.2f' "$locked") s: ${ratio}x a whole copy"
done
