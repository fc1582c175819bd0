# Shared by the bench scripts: a throwaway PostgreSQL cluster (or BENCH_DATABASE_URL),
# fresh databases, timing. Source it; it sets $admin_url and cleans up on exit.

work=$(mktemp -d)
trap 'bench_cleanup' EXIT

pg_bin() {
    local dir
    dir=$(pg_config --bindir 2>/dev/null || true)
    if [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
    ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

as_server_user() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

bench_cleanup() {
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
        -o "-p $port -c listen_addresses=127.0.0.1 -k $work -c max_wal_size=4GB" start >/dev/null
    started_cluster=1
    admin_url="postgres://postgres@127.0.0.1:$port/postgres"
fi
export PGOPTIONS="-c client_min_messages=warning"

db_url() { echo "${admin_url%/*}/$1"; }
fresh_db() {
    psql -q -X "$admin_url" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
}
now_ms() { date +%s%3N; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# Same starting line for every timed run: dirty pages written, no autovacuum at work.
settle() {
    psql -X -q "$admin_url" -c "CHECKPOINT" >/dev/null
    for _ in $(seq 1 120); do
        busy=$(psql -X -At "$admin_url" -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'")
        [ "$busy" = 0 ] && return
        sleep 0.5
    done
}

# A freshly migrated database $1 (release binaries built) with every table emptied, the
# migrations' own rows too; the history stays.
empty_db() {
    fresh_db "$1"
    DATABASE_URL=$(db_url "$1") target/release/migration up >/dev/null 2>&1
    psql -X -q -v ON_ERROR_STOP=1 "$(db_url "$1")" -c "DO \$\$ DECLARE t text; BEGIN
      SELECT string_agg(quote_ident(tablename), ', ') INTO t FROM pg_tables
       WHERE schemaname = current_schema() AND tablename <> 'seaql_migrations';
      EXECUTE 'TRUNCATE ' || t; END \$\$"
    settle
}
