#!/usr/bin/env bash
# Builds a PostgreSQL image compatible with the official `postgres:<major>` image, offline, from Debian's
# packages only (this machine reaches no container registry, but it reaches Debian's archive):
#   debootstrap --variant=minbase --include=postgresql-N,postgresql-client-N <suite>
# trimmed, imported with `docker import`, with the official image's uid/gid 999, environment, entrypoint
# contract (images/postgres/docker-entrypoint.sh), STOPSIGNAL and CMD.
#
# Idempotent: the recipe's hash (this script + the entrypoint) is kept in a label; the image is rebuilt only
# when it is absent or when the recipe changed.
#
# Usage: images/build-postgres-image.sh <major>       (15 -> bookworm, 17 -> trixie)
set -Eeuo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
major="${1:?usage: $0 <major: 15 (bookworm) or 17 (trixie)>}"
case "$major" in
	15) suite=bookworm ;;
	17) suite=trixie ;;
	*) echo "error: no Debian suite ships PostgreSQL $major alone as its default (known: 15 bookworm, 17 trixie)" >&2; exit 2 ;;
esac
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
tag="${PGRH_IMAGE_REPOSITORY:-pg-replication-harness/postgres}:$major"
recipe="$(cat "$0" "$here/postgres/docker-entrypoint.sh" | sha256sum | cut -c1-16)"

have="$(docker image inspect --format '{{ index .Config.Labels "io.github.pgreplication.harness.recipe" }}' "$tag" 2>/dev/null || true)"
if [ "$have" = "$recipe" ]; then
	echo "image $tag is up to date (recipe $recipe)"
	exit 0
fi
for tool in debootstrap docker; do
	command -v "$tool" >/dev/null || { echo "error: $tool is not installed (apt-get install debootstrap docker.io)" >&2; exit 2; }
done

work="$(mktemp -d "${TMPDIR:-/var/tmp}/pgrh-image-$major.XXXXXX")"
rootfs="$work/rootfs"
cleanup() {
	for m in proc dev/pts dev sys; do
		if mountpoint -q "$rootfs/$m" 2>/dev/null; then umount -l "$rootfs/$m" || true; fi
	done
	rm -rf "$work"
}
trap cleanup EXIT INT TERM

echo "building $tag from Debian $suite (recipe $recipe) in $work"
start=$(date +%s)
# bookworm's debian-archive-keyring also holds the trixie keys, so both suites are verified.
debootstrap --variant=minbase --include="postgresql-$major,postgresql-client-$major" \
	--keyring=/usr/share/keyrings/debian-archive-keyring.gpg "$suite" "$rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 \
	|| { tail -30 "$work/debootstrap.log" >&2; exit 1; }

in_root() { chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
# The package's own cluster (created by its postinst) is not the image's: the entrypoint makes one in PGDATA.
rm -rf "$rootfs/var/lib/postgresql/$major" "$rootfs/etc/postgresql/$major"
# uid/gid 999 for postgres, as in the official image (files on volumes keep their owner across images).
old_uid="$(in_root id -u postgres)"; old_gid="$(in_root id -g postgres)"
in_root groupmod -g 999 postgres
in_root usermod -u 999 -g 999 postgres
find "$rootfs" -xdev \( -uid "$old_uid" -o -gid "$old_gid" \) -exec chown -h 999:999 {} +
mkdir -p "$rootfs/var/run/postgresql" "$rootfs/var/lib/postgresql/data" "$rootfs/docker-entrypoint-initdb.d"
chown 999:999 "$rootfs/var/run/postgresql" "$rootfs/var/lib/postgresql" "$rootfs/var/lib/postgresql/data"
chmod 03775 "$rootfs/var/run/postgresql"; chmod 0700 "$rootfs/var/lib/postgresql/data"
# As the official image: listen on every address unless told otherwise.
sample="$rootfs/usr/share/postgresql/$major/postgresql.conf.sample"
sed -ri "s!^#?(listen_addresses)\s*=\s*\S+.*!\1 = '*'!" "$sample"
grep -q "^listen_addresses = '\*'" "$sample"
install -m 0755 "$here/postgres/docker-entrypoint.sh" "$rootfs/usr/local/bin/docker-entrypoint.sh"
# Trim: cached packages, apt lists, docs and manuals; time-zone data stays (PostgreSQL needs it).
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
	"$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/log/*.log "$rootfs"/debootstrap
: > "$rootfs/etc/resolv.conf" 2>/dev/null || true

# ${Version} is dpkg-query's field, not the shell's:
# shellcheck disable=SC2016
version="$(in_root dpkg-query -W -f '${Version}' "postgresql-$major")"
bin="/usr/lib/postgresql/$major/bin"
# `docker import` takes the root filesystem; a Dockerfile on top adds what --change cannot (STOPSIGNAL).
# The classic builder is asked for: it uses the local base image and never tries a registry.
tar -C "$rootfs" --numeric-owner -c . | docker import - "$tag-rootfs" > /dev/null
mkdir -p "$work/context"
cat > "$work/context/Dockerfile" <<DOCKERFILE
FROM $tag-rootfs
ENV PATH=$bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \\
    PG_MAJOR=$major PG_VERSION=$version PGDATA=/var/lib/postgresql/data LANG=C.UTF-8
VOLUME /var/lib/postgresql/data
ENTRYPOINT ["docker-entrypoint.sh"]
STOPSIGNAL SIGINT
EXPOSE 5432
CMD ["postgres"]
LABEL io.github.pgreplication.harness.recipe=$recipe \\
      io.github.pgreplication.harness.source=debian-$suite \\
      io.github.pgreplication.harness.debian-package=postgresql-$major=$version
DOCKERFILE
DOCKER_BUILDKIT=0 docker build --pull=false -q -t "$tag" "$work/context" > /dev/null 2> "$work/build.log" \
	|| { cat "$work/build.log" >&2; exit 1; }
docker rmi "$tag-rootfs" > /dev/null 2>&1 || true
echo "built $tag: Debian $suite postgresql-$major $version, $(docker image inspect --format '{{.Size}}' "$tag" | numfmt --to=iec) in $(( $(date +%s) - start )) s"
