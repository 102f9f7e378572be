#!/usr/bin/env bash
# The reference of the benchmark: the guide's deployment done by hand with the same binaries the harness uses,
# as a careful operator would type it, without Kubernetes: an existing master holding the same 5,000 rows,
# Étape 1.1's pg_dumpall, the master restarted on the guide's master.conf and pg_hba.conf, init-master.sh's
# role and slot, setup-slave.sh's pg_basebackup, the replica started on slave.conf, until it streams.
# Run as the unprivileged server user. Usage: guide-by-hand.sh <bin dir> <work dir> <conf dir> <master port> <replica port>
set -euo pipefail
bin=$1; work=$2; conf=$3; mport=$4; rport=$5
export PATH="$bin:$PATH" PGHOST="$work/sock" PGUSER=postgres
mkdir -p "$work/sock" "$work/archive"
cleanup() { pg_ctl -D "$work/replica" -m immediate stop >/dev/null 2>&1 || true; pg_ctl -D "$work/master" -m immediate stop >/dev/null 2>&1 || true; }
trap cleanup EXIT

start=$(date +%s%N)
# The existing master.
initdb -D "$work/master" -U postgres -A trust >/dev/null
pg_ctl -D "$work/master" -o "-c listen_addresses=127.0.0.1 -c port=$mport -c unix_socket_directories=$work/sock" -w start >/dev/null
psql -p "$mport" -q -v ON_ERROR_STOP=1 <<'SQL'
CREATE TABLE existing_orders (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(12, 2) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT '2026-01-01 00:00:00+00');
INSERT INTO existing_orders (id, customer, amount)
SELECT g, 'customer-' || (g % 97), (g * 7 % 1000) / 10.0 FROM generate_series(1, 5000) AS g;
SQL
# Étape 1.1
pg_dumpall -p "$mport" > "$work/backup-database.sql"
# Étapes 1.3 to 1.5: restart on the guide's configuration.
pg_ctl -D "$work/master" -m fast -w stop >/dev/null
pg_ctl -D "$work/master" -o "-c config_file=$conf/master.conf -c hba_file=$conf/pg_hba.conf -c data_directory=$work/master -c listen_addresses=127.0.0.1 -c port=$mport -c unix_socket_directories=$work/sock" -w start >/dev/null
# init-master.sh
psql -p "$mport" -q -v ON_ERROR_STOP=1 -c "CREATE USER replicator WITH REPLICATION ENCRYPTED PASSWORD 'bench-only-password'" \
    -c "SELECT pg_create_physical_replication_slot('replication_slot_slave')" >/dev/null
# setup-slave.sh
PGPASSWORD=bench-only-password pg_basebackup -h 127.0.0.1 -p "$mport" -D "$work/replica" -U replicator -R -X stream -S replication_slot_slave
touch "$work/replica/standby.signal"; chmod 700 "$work/replica"
pg_ctl -D "$work/replica" -o "-c config_file=$conf/slave.conf -c data_directory=$work/replica -c hba_file=$work/replica/pg_hba.conf -c listen_addresses=127.0.0.1 -c port=$rport -c unix_socket_directories=$work/sock" -w start >/dev/null
# Étape 3.1: until it streams.
until [ "$(psql -p "$mport" -tAc "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming' AND replay_lsn IS NOT NULL")" = 1 ]; do :; done
echo "deployment_ms $(( ($(date +%s%N) - start) / 1000000 ))"
