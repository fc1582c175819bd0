#!/usr/bin/env bash
# Tenant moves as rebalancing: the busiest tenant of a PRESET (default large) database
# moved between two PostgreSQL databases with `chatdb copy --tenant ID --move`, beside a
# whole copy of the same database (PostgreSQL -> PostgreSQL) in the same run. Prints each
# run's rows, seconds and rows/s, the time the moved tenant's rows were locked in the
# source (the move's own figure: from the lock on its tenant row to the delete's commit),
# and the ratio of the medians (goal: the move at >= 0.5x a whole copy's rows/s).
# RUNS (default 3) interleaved: move there, move back, whole copy. A move into the side that
# holds at most as many rows as it brings loads in bulk; back into the full side, through
# the indexes: each run says which.
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

: > "$work/move" ; : > "$work/whole"
from=$a; to=$b
for run in $(seq 1 "$RUNS"); do
    settle
    report=$($chatdb --json copy --from "$from" --to "$to" --tenant "$tenant" --move)
    rows=$(field "['rows']" <<<"$report"); seconds=$(field "['seconds']" <<<"$report")
    locked=$(field "['source_locked_seconds']" <<<"$report")
    path=$(field "['bare_load'] and 'in bulk' or 'through the indexes'" <<<"$report")
    rate=$(python3 -c "print(round($rows / $seconds))")
    echo "run $run  move   $rows rows in ${seconds%.*}.$(cut -c1-2 <<<"${seconds#*.}") s: $rate rows/s, source rows locked $(printf '%.2f' "$locked") s, loaded $path"
    echo "$rate $locked" >> "$work/move"
    tmp=$from; from=$to; to=$tmp

    empty_db bench_move_whole
    # The whole database: the side that holds every other tenant.
    report=$($chatdb --json copy --from "$a" --to "$(db_url bench_move_whole)")
    rows=$(field "['rows']" <<<"$report"); rate=$(field "['rows_per_second']" <<<"$report")
    echo "run $run  whole  $rows rows: $(printf '%.0f' "$rate") rows/s"
    printf '%.0f\n' "$rate" >> "$work/whole"
done
move=$(cut -d' ' -f1 "$work/move" | median)
locked=$(cut -d' ' -f2 "$work/move" | median)
whole=$(median < "$work/whole")
echo
echo "median: move $move rows/s (source rows locked ${locked} s), whole copy $whole rows/s"
python3 -c "print(f'move / whole copy: {$move / $whole:.2f}x (goal >= 0.50x)')"
