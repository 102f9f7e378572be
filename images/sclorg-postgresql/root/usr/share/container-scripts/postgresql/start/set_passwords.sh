# shellcheck shell=bash
# The image's own start hook, sourced by run-postgresql at every start on its temporary server: the passwords of
# POSTGRESQL_USER and of postgres are those of the environment again, whatever SQL changed since; a password
# changes by changing the variable. A file of the same name in /opt/app-root/src/postgresql-start/ replaces this
# one (an empty one turns it off). psql reads each password from the environment (\getenv), never from its
# command line. (images/sclorg-postgresql/CONTRACT.md)
if [ -n "${POSTGRESQL_USER+set}" ]; then
	psql -X -q -v ON_ERROR_STOP=1 -v role="$POSTGRESQL_USER" <<'SQL'
\getenv secret POSTGRESQL_PASSWORD
ALTER ROLE :"role" WITH PASSWORD :'secret';
SQL
fi
if [ -n "${POSTGRESQL_ADMIN_PASSWORD+set}" ]; then
	psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
\getenv secret POSTGRESQL_ADMIN_PASSWORD
ALTER ROLE postgres WITH PASSWORD :'secret';
SQL
fi
