#!/usr/bin/env bash
# Times `migration up` (empty -> head, release build) on PostgreSQL against its anchor:
# `psql --single-transaction -f` restoring a pg_dump of the same schema and rows into an
# empty database. Prints the median of each over RUNS runs and their ratio (target <= 2.0).
#
#   bench/migrate-up.sh                    # starts a throwaway cluster from the local binaries
#   BENCH_DATABASE_URL=postgres://postgres@host:5432/postgres bench/migrate-up.sh
#   RUNS=9 bench/migrate-up.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-7}
work=$(mktemp -d)
trap 'cleanup' EXIT

pg_bin() {
    local dir
    dir=$(pg_config --bindir 2>/dev/null || true)
    if [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

as_server_user() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
    if [ -n "${started_cluster:-}" ]; then
        as_server_user "$bin/pg_ctl" -D "$work/cluster" -m immediate stop >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}

bin=$(pg_bin)
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
    admin_url=$BENCH_DATABASE_URL
else
    [ -x "$bin/initdb" ] || { echo "no PostgreSQL server binaries; install postgresql or set BENCH_DATABASE_URL" >&2; exit 2; }
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    mkdir -p "$work/cluster"
    [ "$(id -u)" = 0 ] && chown -R postgres "$work"
    as_server_user "$bin/initdb" -D "$work/cluster" -U postgres --auth=trust -E UTF8 --locale=C >/dev/null
    as_server_user "$bin/pg_ctl" -D "$work/cluster" -l "$work/server.log" -w \
        -o "-p $port -c listen_addresses=127.0.0.1 -k $work" start >/dev/null
    started_cluster=1
    admin_url="postgres://postgres@127.0.0.1:$port/postgres"
fi
db_url() { echo "${admin_url%/*}/$1"; }
fresh_db() {
    psql -q -X "$admin_url" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
}
now_ms() { date +%s%3N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

cargo build --release -q -p migration
migrate=target/release/migration
export APP_ENV=development ADMIN_PASSWORD=bench-admin-password PGOPTIONS="-c client_min_messages=warning"

migrate_times=()
restore_times=()
for run in $(seq "$RUNS"); do
    fresh_db bench_migrate
    start=$(now_ms)
    DATABASE_URL=$(db_url bench_migrate) "$migrate" up >/dev/null 2>&1
    migrate_times+=($(( $(now_ms) - start )))
    if [ "$run" = 1 ]; then
        pg_dump --no-owner --no-privileges "$(db_url bench_migrate)" > "$work/dump.sql"
    fi
    fresh_db bench_restore
    start=$(now_ms)
    psql -q -X --single-transaction -v ON_ERROR_STOP=1 -f "$work/dump.sql" "$(db_url bench_restore)" >/dev/null
    restore_times+=($(( $(now_ms) - start )))
done

migrate_ms=$(printf '%s\n' "${migrate_times[@]}" | median)
restore_ms=$(printf '%s\n' "${restore_times[@]}" | median)
echo "runs:                         $RUNS"
echo "migration up (median):        ${migrate_ms} ms   [${migrate_times[*]}]"
echo "psql restore of dump (median): ${restore_ms} ms   [${restore_times[*]}]"
awk -v a="$migrate_ms" -v b="$restore_ms" 'BEGIN { printf "ratio migrate/restore:        %.2f (target <= 2.0)\n", a / b }'
