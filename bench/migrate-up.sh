#!/usr/bin/env bash
# Times `migration up` (empty -> head, release build, process start included) on
# PostgreSQL against its anchor: `psql -1 -f` of a pg_dump of the same schema and rows into
# an empty database. The two run interleaved, each from the same starting line (a fresh
# database, a checkpoint); prints the median of each over RUNS runs and their ratio
# (target <= 1.3).
#
#   bench/migrate-up.sh                    # starts a throwaway cluster from the local binaries
#   BENCH_DATABASE_URL=postgres://postgres@host:5432/postgres bench/migrate-up.sh
#   RUNS=9 bench/migrate-up.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
source bench/lib.sh

cargo build --release -q -p migration
migrate=target/release/migration
export APP_ENV=development ADMIN_PASSWORD=bench-admin-password

migrate_times=()
restore_times=()
for run in $(seq "$RUNS"); do
    fresh_db bench_migrate
    settle
    start=$(now_ms)
    DATABASE_URL=$(db_url bench_migrate) "$migrate" up >/dev/null 2>&1
    migrate_times+=($(( $(now_ms) - start )))
    if [ "$run" = 1 ]; then
        pg_dump --no-owner --no-privileges "$(db_url bench_migrate)" > "$work/dump.sql"
    fi
    fresh_db bench_restore
    settle
    start=$(now_ms)
    psql -q -X --single-transaction -v ON_ERROR_STOP=1 -f "$work/dump.sql" "$(db_url bench_restore)" >/dev/null
    restore_times+=($(( $(now_ms) - start )))
done

migrate_ms=$(printf '%s\n' "${migrate_times[@]}" | median)
restore_ms=$(printf '%s\n' "${restore_times[@]}" | median)
echo "runs:                         $RUNS"
echo "migration up (median):        ${migrate_ms} ms   [${migrate_times[*]}]"
echo "psql restore of dump (median): ${restore_ms} ms   [${restore_times[*]}]"
awk -v a="$migrate_ms" -v b="$restore_ms" 'BEGIN { printf "ratio migrate/restore:        %.2f (target <= 1.3)\n", a / b }'
