#!/usr/bin/env bash
# The environment contract of the official postgres image's docker-entrypoint.sh, for images built offline
# from Debian's packages (images/build-postgres-image.sh). What the guide depends on:
#   - POSTGRES_PASSWORD / POSTGRES_USER / POSTGRES_DB / POSTGRES_INITDB_ARGS / PGDATA as the official image;
#   - initdb and /docker-entrypoint-initdb.d only when PGDATA holds no database, otherwise
#     "Skipping initialization" (this is what decides whether the guide's init-master.sh ever runs);
#   - `host all all all scram-sha-256` appended to pg_hba.conf, listen_addresses='*';
#   - then `exec postgres "$@"` as the postgres user (uid 999).
set -Eeo pipefail

if [ "${1:0:1}" = '-' ]; then
	set -- postgres "$@"
fi

# At every start, as any user: PGDATA exists and is 0700. A cluster that applies a pod's fsGroup to its volume at each
# mount leaves the data directory group-writable (2770), which the server refuses; the official image sets it back here.
if [ "$1" = 'postgres' ]; then
	mkdir -p "$PGDATA"
	chmod 00700 "$PGDATA" || :
fi

if [ "$(id -u)" = '0' ] && [ "$1" = 'postgres' ]; then
	mkdir -p /var/run/postgresql
	chown -R postgres:postgres "$PGDATA" /var/run/postgresql 2>/dev/null || :
	chmod 03775 /var/run/postgresql || :
	exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
fi

file_env() {
	local var="$1" fileVar="${1}_FILE" def="${2:-}"
	if [ "${!var:-}" ] && [ "${!fileVar:-}" ]; then
		echo >&2 "error: both $var and $fileVar are set (but are exclusive)"; exit 1
	fi
	local val="$def"
	if [ "${!var:-}" ]; then val="${!var}"; elif [ "${!fileVar:-}" ]; then val="$(< "${!fileVar}")"; fi
	export "$var"="$val"
	unset "$fileVar"
}

if [ "$1" = 'postgres' ]; then
	if [ -s "$PGDATA/PG_VERSION" ]; then
		echo
		echo 'PostgreSQL Database directory appears to contain a database; Skipping initialization'
		echo
		exec "$@"
	fi

	file_env 'POSTGRES_PASSWORD'
	file_env 'POSTGRES_USER' 'postgres'
	file_env 'POSTGRES_DB' "$POSTGRES_USER"
	file_env 'POSTGRES_INITDB_ARGS'
	if [ -z "$POSTGRES_PASSWORD" ] && [ 'trust' != "${POSTGRES_HOST_AUTH_METHOD:-}" ]; then
		echo >&2 'Error: Database is uninitialized and superuser password is not specified.'
		exit 1
	fi

	# As the official image: under a UID /etc/passwd does not know (an arbitrary UID, GID 0), initdb gets a name for
	# it from nss_wrapper, for initdb only.
	if ! getent passwd "$(id -u)" >/dev/null 2>&1; then
		for wrapper in /usr/lib/*/libnss_wrapper.so /usr/lib/libnss_wrapper.so; do
			if [ -s "$wrapper" ]; then
				NSS_WRAPPER_PASSWD="$(mktemp)"; NSS_WRAPPER_GROUP="$(mktemp)"
				export LD_PRELOAD="$wrapper" NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP
				printf 'postgres:x:%s:%s:PostgreSQL:%s:/bin/false\n' "$(id -u)" "$(id -g)" "$PGDATA" > "$NSS_WRAPPER_PASSWD"
				printf 'postgres:x:%s:\n' "$(id -g)" > "$NSS_WRAPPER_GROUP"
				break
			fi
		done
	fi
	# initdb reads the password from a file descriptor, never from its command line.
	eval 'initdb --username="$POSTGRES_USER" --pwfile=<(printf "%s\n" "$POSTGRES_PASSWORD") '"$POSTGRES_INITDB_ARGS"
	if [ -n "${NSS_WRAPPER_PASSWD:-}" ]; then
		rm -f "$NSS_WRAPPER_PASSWD" "$NSS_WRAPPER_GROUP"
		unset LD_PRELOAD NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP
	fi
	auth="$(postgres -C password_encryption "${@:2}")"
	printf '\nhost all all all %s\n' "${POSTGRES_HOST_AUTH_METHOD:-$auth}" >> "$PGDATA/pg_hba.conf"

	# A temporary server on the socket only, for POSTGRES_DB and the init scripts.
	temp_args=("${@:2}" -c listen_addresses=)
	pg_ctl -D "$PGDATA" -o "$(printf '%q ' "${temp_args[@]}")" -w start
	export PGPASSWORD="$POSTGRES_PASSWORD"
	psql=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
	if [ "$POSTGRES_DB" != 'postgres' ]; then
		"${psql[@]}" --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db" ;'
	fi
	psql+=(--dbname "$POSTGRES_DB")
	echo
	for f in /docker-entrypoint-initdb.d/*; do
		case "$f" in
			*.sh)
				# an init script of the image's user, mounted at run time: nothing to follow here
				# shellcheck source=/dev/null
				if [ -x "$f" ]; then echo "$0: running $f"; "$f"; else echo "$0: sourcing $f"; . "$f"; fi ;;
			*.sql) echo "$0: running $f"; "${psql[@]}" -f "$f"; echo ;;
			*) [ -e "$f" ] && echo "$0: ignoring $f" ;;
		esac
	done
	unset PGPASSWORD
	pg_ctl -D "$PGDATA" -m fast -w stop
	echo
	echo 'PostgreSQL init process complete; ready for start up.'
	echo
fi

exec "$@"
