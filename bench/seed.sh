#!/usr/bin/env bash
# The seeder against its anchor, plain COPY of the very same rows into a fresh migrated
# database (same indexes and triggers): the physical limit. RUNS (default 3) interleaved
# runs of each side, each on a fresh database after a CHECKPOINT and with no autovacuum
# worker running; prints the median, the spread (min-max), the seeder's peak RSS, and the
# ratio of the medians (target >= 0.70; peak RSS < 300 MB). Then `large` on SQLite once.
#
#   bench/seed.sh                 PRESET=medium RUNS=5 bench/seed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET=${PRESET:-large}
RUNS=${RUNS:-3}
source bench/lib.sh

cargo build --release -q -p migration -p seed
export APP_ENV=development ADMIN_PASSWORD=bench-admin-password
# Parents first, as the seeder writes them.
tables="tenants users customers tags conversations conversation_tags customer_tags messages
        file_attachments user_sessions notification_settings subscriptions audit_logs performance_metrics"

migrated_db() {
    fresh_db "$1"
    DATABASE_URL=$(db_url "$1") target/release/migration up >/dev/null 2>&1
    settle
}

# The seeded rows only (not V1/V3's) of database $1, as binary COPY files and a load script.
export_rows() {
    local seeded tenants cols key
    seeded=$(db_url "$1")
    tenants=$(psql -X -At "$seeded" -c "SELECT string_agg(quote_literal(t), ',') FROM chatdb_seed_runs, json_array_elements_text(created_tenants::json) t")
    echo "$tenants" > "$work/tenants"
    : > "$work/load.sql"
    for table in $tables; do
        cols=$(psql -X -At "$seeded" -c "SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) FROM information_schema.columns
            WHERE table_name = '$table' AND table_schema = 'public' AND column_name NOT IN ('priority_score', 'sla_deadline')")
        key=$([ "$table" = tenants ] && echo id || echo tenant_id)
        psql -X -q "$seeded" -c "\\copy (SELECT $cols FROM $table WHERE $key IN ($tenants)) TO '$work/$table.bin' WITH (FORMAT binary)"
        echo "\\copy $table ($cols) FROM '$work/$table.bin' WITH (FORMAT binary)" >> "$work/load.sql"
    done
}

# Rows of the seeded tenants in database $1.
seeded_rows_in() {
    local tenants sql=""
    tenants=$(cat "$work/tenants")
    for table in $tables; do
        key=$([ "$table" = tenants ] && echo id || echo tenant_id)
        sql="$sql${sql:+ + }(SELECT count(*) FROM $table WHERE $key IN ($tenants))"
    done
    psql -X -At "$(db_url "$1")" -c "SELECT $sql"
}

: > "$work/seed_ms"; : > "$work/copy_ms"; : > "$work/peak_kb"
for run in $(seq 1 "$RUNS"); do
    migrated_db "bench_seeded_$run"
    start=$(now_ms)
    DATABASE_URL=$(db_url "bench_seeded_$run") /usr/bin/time -v -o "$work/time.txt" \
        target/release/seed --preset "$PRESET" --quiet --json > "$work/summary.json"
    echo $(( $(now_ms) - start )) >> "$work/seed_ms"
    awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$work/time.txt" >> "$work/peak_kb"
    seed_rows=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total_rows"])' "$work/summary.json")
    [ "$run" = 1 ] && export_rows "bench_seeded_$run"
    psql -q -X "$admin_url" -c "DROP DATABASE bench_seeded_$run" >/dev/null

    migrated_db "bench_copied_$run"
    start=$(now_ms)
    psql -X -q --single-transaction -v ON_ERROR_STOP=1 -f "$work/load.sql" "$(db_url "bench_copied_$run")"
    echo $(( $(now_ms) - start )) >> "$work/copy_ms"
    copied=$(seeded_rows_in "bench_copied_$run")
    [ "$copied" = "$seed_rows" ] || { echo "the anchor loaded $copied rows, the seeder wrote $seed_rows" >&2; exit 1; }
    psql -q -X "$admin_url" -c "DROP DATABASE bench_copied_$run" >/dev/null
done

sqlite_file="$work/large.sqlite3"
DATABASE_URL="sqlite://$sqlite_file" target/release/migration up >/dev/null 2>&1
start=$(now_ms)
DATABASE_URL="sqlite://$sqlite_file" target/release/seed --preset "$PRESET" --quiet > /dev/null
sqlite_ms=$(( $(now_ms) - start ))
sqlite_mb=$(du -m "$sqlite_file" | cut -f1)

spread() { sort -n "$1" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.1f-%.1f s", lo / 1000, hi / 1000 }'; }
seed_med=$(median < "$work/seed_ms"); copy_med=$(median < "$work/copy_ms")
peak_kb=$(sort -n "$work/peak_kb" | tail -1)
awk -v rows="$seed_rows" -v s="$seed_med" -v c="$copy_med" -v kb="$peak_kb" -v q="$sqlite_ms" -v mb="$sqlite_mb" \
    -v p="$PRESET" -v n="$RUNS" -v ss="$(spread "$work/seed_ms")" -v cs="$(spread "$work/copy_ms")" 'BEGIN {
    printf "preset:                       %s (%d rows), %d interleaved runs per side, medians\n", p, rows, n
    printf "seeder (PostgreSQL):          %.1f s (%s), %.0f rows/s, peak RSS %.0f MB (target < 300)\n", s / 1000, ss, rows / (s / 1000), kb / 1024
    printf "COPY of the same rows:        %.1f s (%s), %.0f rows/s\n", c / 1000, cs, rows / (c / 1000)
    printf "SQLite (one run):             %.1f s, %.0f rows/s, file %d MB\n", q / 1000, rows / (q / 1000), mb
    printf "ratio seeder/COPY rows/s:     %.2f (target >= 0.70)\n", c / s
}'
