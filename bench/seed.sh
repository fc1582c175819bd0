#!/usr/bin/env bash
# Seeds the `large` preset (1,000,000 messages) into a fresh migrated PostgreSQL database
# with the release binary, then loads the very same rows with plain COPY into another
# fresh migrated database (same indexes and triggers): the physical limit. Prints the
# seeder's rows/s, COPY's rows/s, their ratio (target >= 0.70) and the seeder's peak RSS
# (target < 300 MB); then seeds `large` into SQLite and prints time and file size.
#
#   bench/seed.sh                 PRESET=medium bench/seed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET=${PRESET:-large}
source bench/lib.sh

cargo build --release -q -p migration -p seed
export APP_ENV=development ADMIN_PASSWORD=bench-admin-password
# Parents first, as the seeder writes them.
tables="tenants users customers tags conversations conversation_tags customer_tags messages
        file_attachments user_sessions notification_settings subscriptions audit_logs performance_metrics"

fresh_db bench_seeded
DATABASE_URL=$(db_url bench_seeded) target/release/migration up >/dev/null 2>&1
start=$(now_ms)
DATABASE_URL=$(db_url bench_seeded) /usr/bin/time -v -o "$work/time.txt" \
    target/release/seed --preset "$PRESET" --quiet --json > "$work/summary.json"
seed_ms=$(( $(now_ms) - start ))
seed_rows=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["total_rows"])' "$work/summary.json")
peak_kb=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$work/time.txt")

# The seeded rows only (not V1/V3's), every column but those the triggers compute.
seeded=$(db_url bench_seeded)
tenants=$(psql -X -At "$seeded" -c "SELECT string_agg(quote_literal(t), ',') FROM chatdb_seed_runs, json_array_elements_text(created_tenants::json) t")
columns_of() {
    psql -X -At "$seeded" -c "SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) FROM information_schema.columns
        WHERE table_name = '$1' AND table_schema = 'public' AND column_name NOT IN ('priority_score', 'sla_deadline')"
}
load_script="$work/load.sql"
: > "$load_script"
for table in $tables; do
    cols=$(columns_of "$table")
    key=$([ "$table" = tenants ] && echo id || echo tenant_id)
    psql -X -q "$seeded" -c "\\copy (SELECT $cols FROM $table WHERE $key IN ($tenants)) TO '$work/$table.bin' WITH (FORMAT binary)"
    echo "\\copy $table ($cols) FROM '$work/$table.bin' WITH (FORMAT binary)" >> "$load_script"
done
fresh_db bench_copied
DATABASE_URL=$(db_url bench_copied) target/release/migration up >/dev/null 2>&1
start=$(now_ms)
psql -X -q --single-transaction -v ON_ERROR_STOP=1 -f "$load_script" "$(db_url bench_copied)"
copy_ms=$(( $(now_ms) - start ))

sqlite_file="$work/large.sqlite3"
DATABASE_URL="sqlite://$sqlite_file" target/release/migration up >/dev/null 2>&1
start=$(now_ms)
DATABASE_URL="sqlite://$sqlite_file" target/release/seed --preset "$PRESET" --quiet > /dev/null
sqlite_ms=$(( $(now_ms) - start ))
sqlite_mb=$(du -m "$sqlite_file" | cut -f1)

awk -v rows="$seed_rows" -v s="$seed_ms" -v c="$copy_ms" -v kb="$peak_kb" -v q="$sqlite_ms" -v mb="$sqlite_mb" -v p="$PRESET" 'BEGIN {
    printf "preset:                       %s (%d rows)\n", p, rows
    printf "seeder (PostgreSQL):          %.1f s, %.0f rows/s, peak RSS %.0f MB (target < 300)\n", s / 1000, rows / (s / 1000), kb / 1024
    printf "COPY of the same rows:        %.1f s, %.0f rows/s\n", c / 1000, rows / (c / 1000)
    printf "SQLite:                       %.1f s, %.0f rows/s, file %d MB\n", q / 1000, rows / (q / 1000), mb
    printf "ratio seeder/COPY rows/s:     %.2f (target >= 0.70)\n", c / s
}'
