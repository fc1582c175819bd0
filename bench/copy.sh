#!/usr/bin/env bash
# `chatdb copy` SQLite -> PostgreSQL (verification included) against its anchors, on the
# PRESET (default large) seeded into SQLite:
#   limit   binary COPY of the very same rows into bare tables, then the post-data DDL
#           (keys, indexes, foreign keys) in the same transaction: what pg_restore does;
#   duckdb  DuckDB 1.5 (sqlite + postgres extensions, binary COPY) as users run it, triggers
#           on (../shared/bench/duckdb-copy.py; DUCKDB_BENCH=DIR to use another copy).
# Each target is a freshly migrated, emptied database after a CHECKPOINT with no autovacuum
# worker running; RUNS (default 3) interleaved runs of each; medians, spread (min-max),
# rows/s and ratios; chatdb's peak RSS. Then PostgreSQL -> SQLite once.
# Targets: >= 0.7x the limit, >= 3x DuckDB, peak RSS < 300 MB.
#
#   bench/copy.sh                 PRESET=medium RUNS=5 bench/copy.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PRESET=${PRESET:-large}
RUNS=${RUNS:-3}
DUCKDB_BENCH=${DUCKDB_BENCH:-../shared/bench}
source bench/lib.sh

cargo build --release -q -p cli -p migration -p seed
chatdb=target/release/chatdb
export APP_ENV=development ADMIN_PASSWORD=bench-admin-password


rows_in() {
    psql -X -At "$(db_url "$1")" -c "SELECT $(for t in $tables; do printf '(SELECT count(*) FROM %s) + ' "$t"; done) 0"
}

# The source: PRESET seeded into SQLite.
source_file="$work/source.sqlite3"
DATABASE_URL="sqlite://$source_file" target/release/migration up >/dev/null 2>&1
DATABASE_URL="sqlite://$source_file" target/release/seed --preset "$PRESET" --quiet >/dev/null
tables=$(sqlite3 "$source_file" "SELECT group_concat(name, ' ') FROM sqlite_master WHERE type = 'table'
    AND name NOT IN ('seaql_migrations', 'chatdb_metadata', 'chatdb_seed_runs') AND name NOT LIKE 'sqlite_%'")
source_rows=$(sqlite3 "$source_file" "SELECT $(for t in $tables; do printf '(SELECT count(*) FROM %s) + ' "$t"; done) 0")

# The limit's input: the same rows as binary COPY files (taken from a first copy, whose
# verification proved them equal to the source), and the schema's post-data DDL.
empty_db bench_scratch
$chatdb copy --from "sqlite://$source_file" --to "$(db_url bench_scratch)" >/dev/null 2>&1
scratch=$(db_url bench_scratch)
constraints="SELECT c.contype::text AS k, quote_ident(t.relname) AS tb, quote_ident(c.conname) AS n,
    pg_get_constraintdef(c.oid) AS d FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
    WHERE t.relnamespace = current_schema()::regnamespace AND c.contype IN ('p', 'u', 'f')
      AND t.relname NOT IN ('seaql_migrations', 'chatdb_metadata')"
indexes="SELECT quote_ident(i.relname) AS n, pg_get_indexdef(x.indexrelid) AS d
    FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
    WHERE t.relnamespace = current_schema()::regnamespace AND t.relname NOT IN ('seaql_migrations', 'chatdb_metadata')
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u', 'x'))"
{
    echo "SET maintenance_work_mem = '256MB';"
    echo "ALTER TABLE conversations DISABLE TRIGGER USER;" # as the copy: no recomputed scores
    psql -X -At "$scratch" -c "SELECT format('ALTER TABLE %s DROP CONSTRAINT %s;', tb, n) FROM ($constraints) s ORDER BY k <> 'f', tb, n"
    psql -X -At "$scratch" -c "SELECT format('DROP INDEX %s;', n) FROM ($indexes) s ORDER BY n"
    for table in $tables; do
        psql -X -q "$scratch" -c "\\copy $table TO '$work/$table.bin' WITH (FORMAT binary)"
        echo "\\copy $table FROM '$work/$table.bin' WITH (FORMAT binary)"
    done
    psql -X -At "$scratch" -c "SELECT format('ALTER TABLE %s ADD CONSTRAINT %s %s;', tb, n, d) FROM ($constraints) s WHERE k <> 'f' ORDER BY tb, n"
    psql -X -At "$scratch" -c "SELECT d || ';' FROM ($indexes) s ORDER BY n"
    psql -X -At "$scratch" -c "SELECT format('ALTER TABLE %s ADD CONSTRAINT %s %s;', tb, n, d) FROM ($constraints) s WHERE k = 'f' ORDER BY tb, n"
    echo "ALTER TABLE conversations ENABLE TRIGGER USER;"
} > "$work/limit.sql"

duckdb_python=""
if [ -f "$DUCKDB_BENCH/duckdb-copy.py" ]; then
    [ -x "$work/duckdb/bin/python" ] || bash "$DUCKDB_BENCH/duckdb-setup.sh" "$work/duckdb" >/dev/null
    duckdb_python="$work/duckdb/bin/python"
else
    echo "no $DUCKDB_BENCH/duckdb-copy.py: DuckDB left out (set DUCKDB_BENCH)" >&2
fi

check_rows() {
    local got
    got=$(rows_in "$1")
    [ "$got" = "$source_rows" ] || { echo "$2 loaded $got rows, the source has $source_rows" >&2; exit 1; }
}

: > "$work/chatdb_ms"; : > "$work/limit_ms"; : > "$work/duckdb_ms"; : > "$work/peak_kb"
for run in $(seq 1 "$RUNS"); do
    empty_db "bench_copy_$run"
    start=$(now_ms)
    /usr/bin/time -v -o "$work/time.txt" $chatdb copy --from "sqlite://$source_file" --to "$(db_url "bench_copy_$run")" >/dev/null 2>&1
    echo $(( $(now_ms) - start )) >> "$work/chatdb_ms"
    awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$work/time.txt" >> "$work/peak_kb"
    check_rows "bench_copy_$run" "chatdb copy"
    [ "$run" = "$RUNS" ] || psql -q -X "$admin_url" -c "DROP DATABASE bench_copy_$run" >/dev/null

    empty_db "bench_limit_$run"
    start=$(now_ms)
    psql -X -q --single-transaction -v ON_ERROR_STOP=1 -f "$work/limit.sql" "$(db_url "bench_limit_$run")"
    echo $(( $(now_ms) - start )) >> "$work/limit_ms"
    check_rows "bench_limit_$run" "the limit"
    psql -q -X "$admin_url" -c "DROP DATABASE bench_limit_$run" >/dev/null

    if [ -n "$duckdb_python" ]; then
        empty_db "bench_duckdb_$run"
        start=$(now_ms)
        DUCKDB_EXT_DIR="$work/duckdb/ext" "$duckdb_python" "$DUCKDB_BENCH/duckdb-copy.py" "$source_file" "$(db_url "bench_duckdb_$run")" >/dev/null 2>&1
        echo $(( $(now_ms) - start )) >> "$work/duckdb_ms"
        check_rows "bench_duckdb_$run" "DuckDB"
        psql -q -X "$admin_url" -c "DROP DATABASE bench_duckdb_$run" >/dev/null
    fi
done

# The other direction, once: the last PostgreSQL copy into a fresh migrated SQLite file.
back_file="$work/back.sqlite3"
DATABASE_URL="sqlite://$back_file" target/release/migration up >/dev/null 2>&1
start=$(now_ms)
/usr/bin/time -v -o "$work/time_back.txt" $chatdb copy --from "$(db_url "bench_copy_$RUNS")" --to "sqlite://$back_file" >/dev/null 2>&1
back_ms=$(( $(now_ms) - start ))
back_kb=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$work/time_back.txt")

spread() { sort -n "$1" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.1f-%.1f s", lo / 1000, hi / 1000 }'; }
chatdb_med=$(median < "$work/chatdb_ms"); limit_med=$(median < "$work/limit_ms")
duckdb_med=$([ -s "$work/duckdb_ms" ] && median < "$work/duckdb_ms" || echo 0)
peak_kb=$(sort -n "$work/peak_kb" | tail -1)
awk -v rows="$source_rows" -v c="$chatdb_med" -v l="$limit_med" -v d="$duckdb_med" -v kb="$peak_kb" \
    -v b="$back_ms" -v bkb="$back_kb" -v p="$PRESET" -v n="$RUNS" \
    -v cs="$(spread "$work/chatdb_ms")" -v ls="$(spread "$work/limit_ms")" \
    -v ds="$([ -s "$work/duckdb_ms" ] && spread "$work/duckdb_ms" || echo -)" 'BEGIN {
    printf "preset:                          %s (%d rows) in SQLite, %d interleaved runs each, medians\n", p, rows, n
    printf "chatdb copy (verified):          %.1f s (%s), %.0f rows/s, peak RSS %.0f MB (target < 300)\n", c / 1000, cs, rows / (c / 1000), kb / 1024
    printf "limit (bare COPY + post-data):   %.1f s (%s), %.0f rows/s\n", l / 1000, ls, rows / (l / 1000)
    if (d > 0) printf "DuckDB 1.5, triggers on:         %.1f s (%s), %.0f rows/s\n", d / 1000, ds, rows / (d / 1000)
    printf "ratio chatdb/limit rows/s:       %.2f (target >= 0.70)\n", l / c
    if (d > 0) printf "ratio chatdb/DuckDB rows/s:      %.1f (target >= 3)\n", d / c
    printf "PostgreSQL -> SQLite (one run):  %.1f s, %.0f rows/s, peak RSS %.0f MB\n", b / 1000, rows / (b / 1000), bkb / 1024
}'
