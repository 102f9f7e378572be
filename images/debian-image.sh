# shellcheck shell=bash
# What images/build-postgres-image.sh and images/build-sclorg-image.sh share: a PostgreSQL image built offline
# from Debian's packages only (this machine reaches no container registry, but it reaches Debian's archive).
#   debootstrap --variant=minbase --include=<packages> <suite>
# into a work directory, trimmed, imported with `docker import`, then a Dockerfile on top (with the classic
# builder, which uses the local base image and never tries a registry) for what `docker import --change` cannot
# set. Each image keeps its recipe's hash (the scripts and files it is made of) in a label, and is rebuilt only
# when it is absent or when the recipe changed.
#
# Sourced by the build scripts, which set `set -Eeuo pipefail`; they call, in this order:
#   suite="$(debian_suite "$major")"      recipe="$(recipe_hash FILE...)"
#   image_is_current "$tag" "$recipe" && exit 0
#   bootstrap_rootfs "$suite" NAME PACKAGE,...     (sets $work and $rootfs; removes $work on exit)
#   in_root CMD...  (a command in the root filesystem)     set_sample MAJOR NAME VALUE   set_conf SAMPLE NAME VALUE
#   trim_rootfs     package_version PACKAGE
#   import_image "$tag" "$recipe" "$suite" PACKAGE=VERSION < Dockerfile-lines (without FROM, without the labels)

# The Debian suite whose only PostgreSQL is <major>: 13 bullseye, 15 bookworm, 17 trixie. No Debian suite served
# here ships 12, 14 or 16 (buster, with 11, has left deb.debian.org).
debian_suite() {
	case "$1" in
		13) echo bullseye ;;
		15) echo bookworm ;;
		17) echo trixie ;;
		*) echo "error: no Debian suite ships PostgreSQL $1 alone as its default (known: 13 bullseye, 15 bookworm, 17 trixie)" >&2
			return 2 ;;
	esac
}

# The recipe's hash: the files an image is made of, this library included.
recipe_hash() {
	cat "$@" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-16
}

# True (and says so) when <tag> exists with this recipe.
image_is_current() {
	local tag="$1" recipe="$2" have
	have="$(docker image inspect --format '{{ index .Config.Labels "io.github.pgreplication.harness.recipe" }}' "$tag" 2>/dev/null || true)"
	if [ "$have" = "$recipe" ]; then
		echo "image $tag is up to date (recipe $recipe)"
		return 0
	fi
	return 1
}

# debootstrap <suite> with <packages> (comma-separated) into $work/rootfs; $work is removed on exit.
bootstrap_rootfs() {
	local suite="$1" name="$2" packages="$3" mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}" tool
	for tool in debootstrap docker; do
		command -v "$tool" >/dev/null || { echo "error: $tool is not installed (apt-get install debootstrap docker.io)" >&2; exit 2; }
	done
	work="$(mktemp -d "${TMPDIR:-/var/tmp}/$name.XXXXXX")"
	rootfs="$work/rootfs"
	trap remove_work EXIT INT TERM
	build_started=$(date +%s)
	# bookworm's debian-archive-keyring also holds the bullseye and trixie keys, so every suite here is verified.
	debootstrap --variant=minbase --include="$packages" \
		--keyring=/usr/share/keyrings/debian-archive-keyring.gpg "$suite" "$rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 \
		|| { tail -30 "$work/debootstrap.log" >&2; exit 1; }
}

remove_work() {
	local m
	for m in proc dev/pts dev sys; do
		if mountpoint -q "$rootfs/$m" 2>/dev/null; then umount -l "$rootfs/$m" || true; fi
	done
	rm -rf "$work"
}

in_root() { chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }

# NAME = VALUE in PostgreSQL's postgresql.conf.sample (what initdb copies) of Debian's package of MAJOR.
set_sample() {
	set_conf "/usr/share/postgresql/$1/postgresql.conf.sample" "$2" "$3"
}

# NAME = VALUE in the root filesystem's postgresql.conf.sample at SAMPLE, commented out or not, and checked.
set_conf() {
	local sample="$rootfs$1" name="$2" value="$3"
	sed -ri "s!^#?($name)\s*=\s*\S+.*!\1 = $value!" "$sample"
	grep -qxF "$name = $value" "$sample" || { echo "error: $name is not set in $sample" >&2; exit 1; }
}

# Cached packages, apt lists, docs and manuals go; time-zone data stays (PostgreSQL needs it).
trim_rootfs() {
	rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* \
		"$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/log/*.log "$rootfs"/debootstrap
	: > "$rootfs/etc/resolv.conf" 2>/dev/null || true
}

package_version() {
	# ${Version} is dpkg-query's field, not the shell's:
	# shellcheck disable=SC2016
	in_root dpkg-query -W -f '${Version}' "$1"
}

# The image <tag>: the root filesystem, then the Dockerfile lines read from stdin, then the recipe's labels.
import_image() {
	local tag="$1" recipe="$2" suite="$3" package="$4" previous
	previous="$(docker image inspect --format '{{.Id}}' "$tag" 2>/dev/null || true)"
	tar -C "$rootfs" --numeric-owner -c . | docker import - "$tag-rootfs" > /dev/null
	mkdir -p "$work/context"
	{
		echo "FROM $tag-rootfs"
		cat
		echo "LABEL io.github.pgreplication.harness.recipe=$recipe \\"
		echo "      io.github.pgreplication.harness.source=debian-$suite \\"
		echo "      io.github.pgreplication.harness.debian-package=$package"
	} > "$work/context/Dockerfile"
	DOCKER_BUILDKIT=0 docker build --pull=false -q -t "$tag" "$work/context" > /dev/null 2> "$work/build.log" \
		|| { cat "$work/build.log" >&2; exit 1; }
	docker rmi "$tag-rootfs" > /dev/null 2>&1 || true
	# The image of the previous recipe, now untagged, goes (kept only while a container still uses it).
	if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect --format '{{.Id}}' "$tag")" ]; then
		docker rmi "$previous" > /dev/null 2>&1 || echo "kept the previous $tag ($previous): a container uses it"
	fi
	echo "built $tag: Debian $suite ${package/=/ }, $(docker image inspect --format '{{.Size}}' "$tag" | numfmt --to=iec)" \
		"in $(( $(date +%s) - build_started )) s"
}
