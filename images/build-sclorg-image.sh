#!/usr/bin/env bash
# Builds pg-replication-harness/sclorg-postgresql:<major>, the offline stand-in for the Software Collections image
# that OpenShift's postgresql-persistent template runs (registry.redhat.io/rhel9/postgresql-15,
# quay.io/sclorg/postgresql-15-c9s), from Debian's packages only (images/debian-image.sh): Debian's postgresql-15
# under /usr/lib/postgresql/15/bin, with the sclorg image's contract - user postgres UID 26 (GID 26, and in group
# root), HOME /var/lib/pgsql, directories writable by GID 0, ENTRYPOINT container-entrypoint, CMD run-postgresql,
# the POSTGRESQL_* environment, the hook and configuration directories of /opt/app-root/src - implemented by this
# project's own scripts in images/sclorg-postgresql/root/. images/sclorg-postgresql/CONTRACT.md says what is
# implemented, where sclorg documents it, and what is not.
#
# Idempotent: the recipe's hash (this script, the shared library and every file of images/sclorg-postgresql/) is
# kept in a label; the image is rebuilt only when it is absent or when the recipe changed.
#
# Usage: images/build-sclorg-image.sh 15
set -Eeuo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=debian-image.sh
. "$here/debian-image.sh"
major="${1:?usage: $0 15}"
if [ "$major" != 15 ]; then
	echo "error: the sclorg stand-in is built for PostgreSQL 15 only (the image the guide's template runs)" >&2
	exit 2
fi
suite="$(debian_suite "$major")"
tag="${PGRH_SCLORG_IMAGE_REPOSITORY:-pg-replication-harness/sclorg-postgresql}:$major"
files="$here/sclorg-postgresql"
mapfile -t recipe_files < <(find "$files" -type f | LC_ALL=C sort)
recipe="$(recipe_hash "$0" "${recipe_files[@]}")"
image_is_current "$tag" "$recipe" && exit 0

echo "building $tag from Debian $suite (recipe $recipe)"
# nss_wrapper gives an arbitrary UID the name postgres; locales, the en_US.UTF-8 initdb runs with.
bootstrap_rootfs "$suite" "pgrh-sclorg-$major" "postgresql-$major,postgresql-client-$major,libnss-wrapper,locales"
# The package's own cluster (created by its postinst) is not the image's: run-postgresql makes one in PGDATA.
rm -rf "$rootfs/var/lib/postgresql" "$rootfs/etc/postgresql/$major"
in_root localedef -i en_US -c -f UTF-8 en_US.UTF-8

# postgres is UID 26 and GID 26 as in the sclorg image, and a member of root (GID 0). Debian's GID 26 is the group
# tape, which a container has no use for.
old_uid="$(in_root id -u postgres)"; old_gid="$(in_root id -g postgres)"
if in_root getent group tape >/dev/null; then in_root groupdel tape; fi
in_root groupmod -g 26 postgres
in_root usermod -u 26 -g 26 -G root -d /var/lib/pgsql postgres
find "$rootfs" -xdev \( -uid "$old_uid" -o -gid "$old_gid" \) -exec chown -h 26:26 {} +

# The directories any UID of group 0 writes (HOME, the volume's mount point, the socket's): owned 26:0, and the
# group may do what the owner may (g=u). /opt/app-root, where an s2i build puts the hooks: readable by group 0.
app="$rootfs/opt/app-root/src"
mkdir -p "$rootfs/var/lib/pgsql/data" "$rootfs/run/postgresql" \
	"$app/postgresql-pre-start" "$app/postgresql-cfg" "$app/postgresql-init" "$app/postgresql-start"
chown -R 26:0 "$rootfs/var/lib/pgsql" "$rootfs/run/postgresql" "$rootfs/opt/app-root"
chmod -R g=u "$rootfs/var/lib/pgsql" "$rootfs/run/postgresql"
chmod -R g+rX "$rootfs/opt/app-root"

# The scripts, and the contract they implement where `usage` can show it.
cp -a "$files/root/." "$rootfs/"
scripts="$rootfs/usr/share/container-scripts/postgresql"
install -m 0644 "$files/CONTRACT.md" "$scripts/CONTRACT.md"
chown -R root:root "$scripts"
for command in usr/bin/container-entrypoint usr/bin/run-postgresql usr/libexec/check-container; do
	chown root:root "$rootfs/$command"; chmod 0755 "$rootfs/$command"
done

# Logs, as the sclorg image has them: on stdout until the server runs, then the logging collector's files
# PGDATA/log/postgresql-<day>.log, rotated daily (POSTGRESQL_LOG_DESTINATION changes that at run time).
set_sample "$major" logging_collector on
set_sample "$major" log_directory "'log'"
set_sample "$major" log_filename "'postgresql-%a.log'"
set_sample "$major" log_rotation_age 1d
set_sample "$major" log_rotation_size 0
set_sample "$major" log_truncate_on_rotation on
trim_rootfs

version="$(package_version "postgresql-$major")"
bin="/usr/lib/postgresql/$major/bin"
# No VOLUME, as the sclorg image (OpenShift mounts the claim); no STOPSIGNAL: SIGTERM, a smart shutdown.
import_image "$tag" "$recipe" "$suite" "postgresql-$major=$version" <<DOCKERFILE
ENV POSTGRESQL_VERSION=$major \\
    HOME=/var/lib/pgsql \\
    PGUSER=postgres \\
    APP_ROOT=/opt/app-root \\
    APP_DATA=/opt/app-root \\
    CONTAINER_SCRIPTS_PATH=/usr/share/container-scripts/postgresql \\
    PATH=/opt/app-root/src/bin:/opt/app-root/bin:$bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /opt/app-root/src
EXPOSE 5432
USER 26
ENTRYPOINT ["container-entrypoint"]
CMD ["run-postgresql"]
LABEL io.k8s.display-name="PostgreSQL $major (offline stand-in for the sclorg image)" \\
      io.openshift.expose-services="5432:postgresql" \\
      io.openshift.tags="database,postgresql,postgresql$major,postgresql-$major" \\
      io.github.pgreplication.harness.stand-in-for="quay.io/sclorg/postgresql-$major-c9s"
DOCKERFILE
