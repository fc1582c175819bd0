#!/usr/bin/env bash
# The seeder against its anchors, side by side in one run. PostgreSQL, RUNS (default 3)
# interleaved runs of each, every one into a freshly migrated database after a CHECKPOINT
# with no autovacuum worker running:
#   seeder         `seed --preset PRESET` (it chooses its bulk path there);
#   bare-COPY      the limit: the very same rows, binary COPY into the tables with their
#                  keys, indexes and foreign keys dropped, then the post-data DDL, in one
#                  transaction (what `bench/copy.sh` measures; empty tables truncated and
#                  loaded FREEZE, as the seeder does);
#   indexed COPY   the same rows, binary COPY through every index, in one transaction.
# Then PRESET `medium` seeded into a database already holding PRESET (it must keep its
# indexed path), and SQLite: the seeder against the in-engine limit (INSERT…SELECT of the
# same rows into a freshly migrated file, indexes dropped and built again, one
# transaction). Prints medians, spreads, peak RSS and the ratios (targets: PostgreSQL
# >= 0.70 of bare-COPY, SQLite >= 0.80 of its limit, peak RSS < 300 MB).
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
table_list=$(echo $tables | sed 's/ /, /g')
computed="'priority_score', 'sla_deadline'" # the trigger computes them on insert, as for the seeder

migrated_db() {
    fresh_db "$1"
    DATABASE_URL=$(db_url "$1") target/release/migration up >/dev/null 2>&1
    settle
}

# Columns of $2 in database $1 (comma-separated), the computed ones left out.
columns_of() {
    psql -X -At "$(db_url "$1")" -c "SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position)
        FROM information_schema.columns WHERE table_name = '$2' AND table_schema = 'public'
         AND column_name NOT IN ($computed)"
}

# The seeded rows only (not V1/V3's) of database $1, as binary COPY files; the two load
# scripts (bare and indexed) that put them into a freshly migrated database.
export_rows() {
    local seeded tenants cols key empty
    seeded=$(db_url "$1")
    tenants=$(psql -X -At "$seeded" -c "SELECT string_agg(quote_literal(t), ',') FROM chatdb_seed_runs, json_array_elements_text(created_tenants::json) t")
    echo "$tenants" > "$work/tenants"
    migrated_db bench_shape
    shape=$(db_url bench_shape)
    # The post-data of the seeded tables (and the foreign keys pointing into them), as the
    # seeder's and the copy's bulk path find them.
    psql -X -At "$shape" > "$work/drop.sql" <<SQL
SELECT 'ALTER TABLE ' || c.conrelid::regclass || ' DROP CONSTRAINT ' || quote_ident(c.conname) || ';'
  FROM pg_constraint c WHERE c.contype = 'f' AND (c.conrelid::regclass::text = ANY(string_to_array('$table_list', ', '))
    OR c.confrelid::regclass::text = ANY(string_to_array('$table_list', ', ')));
SELECT 'ALTER TABLE ' || c.conrelid::regclass || ' DROP CONSTRAINT ' || quote_ident(c.conname) || ';'
  FROM pg_constraint c WHERE c.contype IN ('p', 'u') AND c.conrelid::regclass::text = ANY(string_to_array('$table_list', ', '));
SELECT 'DROP INDEX ' || x.indexrelid::regclass || ';' FROM pg_index x
 WHERE x.indrelid::regclass::text = ANY(string_to_array('$table_list', ', '))
   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u', 'x'));
SQL
    psql -X -At "$shape" > "$work/create.sql" <<SQL
SELECT 'ALTER TABLE ' || c.conrelid::regclass || ' ADD CONSTRAINT ' || quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid) || ';'
  FROM pg_constraint c WHERE c.contype IN ('p', 'u') AND c.conrelid::regclass::text = ANY(string_to_array('$table_list', ', '));
SELECT pg_get_indexdef(x.indexrelid) || ';' FROM pg_index x
 WHERE x.indrelid::regclass::text = ANY(string_to_array('$table_list', ', '))
   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u', 'x'));
SELECT 'ALTER TABLE ' || c.conrelid::regclass || ' ADD CONSTRAINT ' || quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid) || ';'
  FROM pg_constraint c WHERE c.contype = 'f' AND (c.conrelid::regclass::text = ANY(string_to_array('$table_list', ', '))
    OR c.confrelid::regclass::text = ANY(string_to_array('$table_list', ', ')));
SQL
    empty=""
    for table in $tables; do
        [ "$(psql -X -At "$shape" -c "SELECT count(*) FROM $table")" = 0 ] && empty="$empty${empty:+, }$table"
    done
    psql -q -X "$admin_url" -c "DROP DATABASE bench_shape" >/dev/null
    { cat "$work/drop.sql"; [ -n "$empty" ] && echo "TRUNCATE $empty;"; } > "$work/bare.sql"
    : > "$work/indexed.sql"
    for table in $tables; do
        cols=$(columns_of "$1" "$table")
        key=$([ "$table" = tenants ] && echo id || echo tenant_id)
        psql -X -q "$seeded" -c "\\copy (SELECT $cols FROM $table WHERE $key IN ($tenants)) TO '$work/$table.bin' WITH (FORMAT binary)"
        echo "\\copy $table ($cols) FROM '$work/$table.bin' WITH (FORMAT binary)" >> "$work/indexed.sql"
        freeze=$(case ", $empty, " in *", $table, "*) echo ", FREEZE";; esac)
        echo "\\copy $table ($cols) FROM '$work/$table.bin' WITH (FORMAT binary$freeze)" >> "$work/bare.sql"
    done
    { echo "SET maintenance_work_mem = '256MB';"; cat "$work/bare.sql" "$work/create.sql"; } > "$work/bare-load.sql"
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

# Times loading script $2 into a freshly migrated database named $1; appends ms to $work/$1.
time_load() {
    migrated_db "$1"
    local start
    start=$(now_ms)
    psql -X -q --single-transaction -v ON_ERROR_STOP=1 -f "$2" "$(db_url "$1")" >/dev/null
    echo $(( $(now_ms) - start )) >> "$work/$1"
    local loaded
    loaded=$(seeded_rows_in "$1")
    [ "$loaded" = "$seed_rows" ] || { echo "$1 loaded $loaded rows, the seeder wrote $seed_rows" >&2; exit 1; }
    psql -q -X "$admin_url" -c "DROP DATABASE $1" >/dev/null
}

# Seeds preset $2 into database $1 (timed, RSS kept); its summary in $work/summary.json.
time_seed() {
    local start
    start=$(now_ms)
    DATABASE_URL=$(db_url "$1") /usr/bin/time -v -o "$work/time.txt" \
        target/release/seed --preset "$2" --quiet --json > "$work/summary.json"
    echo $(( $(now_ms) - start )) >> "$work/$3"
    awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$work/time.txt" >> "$work/peak_kb"
}
field() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$work/summary.json" "$1"; }

: > "$work/seeder"; : > "$work/bench_bare"; : > "$work/bench_indexed"; : > "$work/peak_kb"
for run in $(seq 1 "$RUNS"); do
    migrated_db "bench_seeded_$run"
    time_seed "bench_seeded_$run" "$PRESET" seeder
    seed_rows=$(field total_rows)
    seed_path=$(field load_path)
    if [ "$run" = 1 ]; then
        export_rows "bench_seeded_$run"
        # PRESET stays for the medium-into-it run below.
        psql -q -X "$admin_url" -c "ALTER DATABASE bench_seeded_1 RENAME TO bench_holding" >/dev/null
    else
        psql -q -X "$admin_url" -c "DROP DATABASE bench_seeded_$run" >/dev/null
    fi
    time_load bench_bare "$work/bare-load.sql"
    time_load bench_indexed "$work/indexed.sql"
done

settle
: > "$work/medium"
time_seed bench_holding medium medium
medium_rows=$(field total_rows)
medium_path=$(field load_path)
psql -q -X "$admin_url" -c "DROP DATABASE bench_holding" >/dev/null

# SQLite: the seeder, then the same rows INSERT…SELECTed from its file into a freshly
# migrated one with the indexes set aside; RUNS interleaved runs of each.
sqlite_migrated() {
    rm -f "$1"
    DATABASE_URL="sqlite://$1" target/release/migration up >/dev/null 2>&1
}
: > "$work/sqlite_seeder"; : > "$work/sqlite_limit"
for run in $(seq 1 "$RUNS"); do
    seeded="$work/seeded.sqlite3"
    sqlite_migrated "$seeded"
    start=$(now_ms)
    DATABASE_URL="sqlite://$seeded" /usr/bin/time -v -o "$work/time.txt" \
        target/release/seed --preset "$PRESET" --quiet --json > "$work/summary.json"
    echo $(( $(now_ms) - start )) >> "$work/sqlite_seeder"
    awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$work/time.txt" >> "$work/peak_kb"
    sqlite_rows=$(field total_rows)
    sqlite_path=$(field load_path)
    limit="$work/limit.sqlite3"
    sqlite_migrated "$limit"
    {
        echo "ATTACH '$seeded' AS seeded; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; BEGIN IMMEDIATE;"
        # The migrations' sample tenants (the same fixed ids in both files) are not the seeder's.
        echo "CREATE TEMP TABLE sample AS SELECT id FROM main.tenants;"
        sqlite3 "$limit" "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
                          AND tbl_name IN ('$(echo $tables | sed "s/ /', '/g")')"
        for table in $tables; do
            cols=$(sqlite3 "$limit" "SELECT group_concat(name, ', ') FROM pragma_table_info('$table') WHERE name NOT IN ($computed)")
            key=$([ "$table" = tenants ] && echo id || echo tenant_id)
            echo "INSERT INTO main.$table ($cols) SELECT $cols FROM seeded.$table WHERE $key NOT IN (SELECT id FROM temp.sample);"
        done
        sqlite3 "$limit" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
                          AND tbl_name IN ('$(echo $tables | sed "s/ /', '/g")')"
        echo "COMMIT;"
    } > "$work/limit.sql"
    start=$(now_ms)
    sqlite3 -bail "$limit" < "$work/limit.sql"
    echo $(( $(now_ms) - start )) >> "$work/sqlite_limit"
    all_rows() { sqlite3 "$1" "SELECT $(for t in $tables; do printf '(SELECT count(*) FROM %s) + ' "$t"; done) 0"; }
    [ "$(all_rows "$limit")" = "$(all_rows "$seeded")" ] || { echo "the SQLite limit loaded other rows than the seeder" >&2; exit 1; }
done

spread() { sort -n "$work/$1" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.1f-%.1f s", lo / 1000, hi / 1000 }'; }
med() { median < "$work/$1"; }
peak_kb=$(sort -n "$work/peak_kb" | tail -1)
awk -v rows="$seed_rows" -v p="$PRESET" -v n="$RUNS" -v path="$seed_path" -v kb="$peak_kb" \
    -v s="$(med seeder)" -v ss="$(spread seeder)" -v b="$(med bench_bare)" -v bs="$(spread bench_bare)" \
    -v i="$(med bench_indexed)" -v is="$(spread bench_indexed)" \
    -v m="$(med medium)" -v mrows="$medium_rows" -v mpath="$medium_path" \
    -v q="$(med sqlite_seeder)" -v qs="$(spread sqlite_seeder)" -v l="$(med sqlite_limit)" -v ls="$(spread sqlite_limit)" \
    -v qrows="$sqlite_rows" -v qpath="$sqlite_path" 'BEGIN {
    printf "preset:                        %s (%d rows), %d interleaved runs each, medians (spread)\n", p, rows, n
    printf "PostgreSQL\n"
    printf "  seeder (%s path):          %5.1f s (%s) %8.0f rows/s\n", path, s / 1000, ss, rows / (s / 1000)
    printf "  bare-COPY limit:             %5.1f s (%s) %8.0f rows/s\n", b / 1000, bs, rows / (b / 1000)
    printf "  indexed COPY:                %5.1f s (%s) %8.0f rows/s\n", i / 1000, is, rows / (i / 1000)
    printf "  ratio seeder/bare-COPY:      %.2f (target >= 0.70)\n", b / s
    printf "  ratio seeder/indexed COPY:   %.2f\n", i / s
    printf "  medium into %s (%s path): %.1f s, %d rows, %.0f rows/s (must stay indexed)\n", p, mpath, m / 1000, mrows, mrows / (m / 1000)
    printf "SQLite\n"
    printf "  seeder (%s path):          %5.1f s (%s) %8.0f rows/s\n", qpath, q / 1000, qs, qrows / (q / 1000)
    printf "  in-engine limit:             %5.1f s (%s) %8.0f rows/s\n", l / 1000, ls, qrows / (l / 1000)
    printf "  ratio seeder/limit:          %.2f (target >= 0.80)\n", l / q
    printf "peak RSS of any seeding:       %.0f MB (target < 300)\n", kb / 1024
}'
