#!/usr/bin/env bash
# Builds a PostgreSQL image compatible with the official `postgres:<major>` image, offline, from Debian's
# packages only (images/debian-image.sh: debootstrap --variant=minbase --include=postgresql-N,postgresql-client-N
# <suite>, trimmed, imported with `docker import`), with the official image's uid/gid 999, environment,
# entrypoint contract (images/postgres/docker-entrypoint.sh), STOPSIGNAL and CMD.
#
# Idempotent: the recipe's hash (this script, the shared library and the entrypoint) is kept in a label; the image
# is rebuilt only when it is absent or when the recipe changed.
#
# Usage: images/build-postgres-image.sh <major>       (13 -> bullseye, 15 -> bookworm, 17 -> trixie)
set -Eeuo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=debian-image.sh
. "$here/debian-image.sh"
major="${1:?usage: $0 <major: 13 (bullseye), 15 (bookworm) or 17 (trixie)>}"
suite="$(debian_suite "$major")" || exit 2
tag="${PGRH_IMAGE_REPOSITORY:-pg-replication-harness/postgres}:$major"
recipe="$(recipe_hash "$0" "$here/postgres/docker-entrypoint.sh")"
image_is_current "$tag" "$recipe" && exit 0

echo "building $tag from Debian $suite (recipe $recipe)"
# locales: the official image makes en_US.UTF-8 and runs with LANG=en_US.utf8, so a cluster it initialises, or one a
# replica copies from a master that ran initdb in en_US.UTF-8 (the sclorg image's default), has its locale here.
# libnss-wrapper: as the official image, the entrypoint gives initdb a name for a UID /etc/passwd does not know
# (OpenShift's restricted SCC runs a pod as an arbitrary UID with GID 0).
bootstrap_rootfs "$suite" "pgrh-image-$major" "postgresql-$major,postgresql-client-$major,locales,libnss-wrapper"
in_root localedef -i en_US -c -f UTF-8 -A /usr/share/locale/locale.alias en_US.UTF-8
# The package's own cluster (created by its postinst) is not the image's: the entrypoint makes one in PGDATA.
rm -rf "$rootfs/var/lib/postgresql/$major" "$rootfs/etc/postgresql/$major"
# uid/gid 999 for postgres, as in the official image (files on volumes keep their owner across images).
old_uid="$(in_root id -u postgres)"; old_gid="$(in_root id -g postgres)"
in_root groupmod -g 999 postgres
in_root usermod -u 999 -g 999 postgres
find "$rootfs" -xdev \( -uid "$old_uid" -o -gid "$old_gid" \) -exec chown -h 999:999 {} +
# /run, not /var/run: in the rootfs /var/run is the absolute link /run, which from here is the host's own /run
# (earlier builds changed the owner and mode of the host's /run/postgresql through it).
mkdir -p "$rootfs/run/postgresql" "$rootfs/var/lib/postgresql/data" "$rootfs/docker-entrypoint-initdb.d"
chown 999:999 "$rootfs/run/postgresql" "$rootfs/var/lib/postgresql" "$rootfs/var/lib/postgresql/data"
# 3777 as in the official image: any UID can make its socket and lock file there.
chmod 03777 "$rootfs/run/postgresql"; chmod 0700 "$rootfs/var/lib/postgresql/data"
# As the official image: listen on every address unless told otherwise.
set_sample "$major" listen_addresses "'*'"
install -m 0755 "$here/postgres/docker-entrypoint.sh" "$rootfs/usr/local/bin/docker-entrypoint.sh"
trim_rootfs

version="$(package_version "postgresql-$major")"
bin="/usr/lib/postgresql/$major/bin"
# A Dockerfile on top adds what `docker import --change` cannot (STOPSIGNAL).
import_image "$tag" "$recipe" "$suite" "postgresql-$major=$version" <<DOCKERFILE
ENV PATH=$bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \\
    PG_MAJOR=$major PG_VERSION=$version PGDATA=/var/lib/postgresql/data LANG=en_US.utf8
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
DOCKERFILE
