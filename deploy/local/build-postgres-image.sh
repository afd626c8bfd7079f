#!/usr/bin/env bash
# Builds the local PostgreSQL 15 image used by the integration tests
# (Testcontainers.PostgreSql) on machines that cannot pull images.
#
#   deploy/local/build-postgres-image.sh [IMAGE]
#
# IMAGE defaults to $TEST_POSTGRES_IMAGE, else rural-registry/postgres:15.
# Nothing is done when that image already exists and was built from the
# current deploy/docker/postgres/entrypoint.sh (label checked); set
# REBUILD_POSTGRES_IMAGE=1 to import it again anyway.
#
# The root filesystem is Debian 12 "bookworm" (minbase + postgresql-15, which
# ships the contrib extensions such as unaccent and pg_trgm), made by
# debootstrap from the Debian mirror configured in this machine's apt sources
# (DEBIAN_MIRROR overrides it). The resulting tarball is cached in
# $RURAL_REGISTRY_CACHE_DIR (default: .local/cache in the repository, which is
# git-ignored), so a rebuild does not run debootstrap again. The entrypoint is
# added to a copy of that tarball, which is then `docker import`ed.
#
# Needs a running Docker engine (deploy/local/provision-docker.sh) and, when
# the tarball is not cached yet, root (debootstrap).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
readonly SCRIPT_DIR REPO_ROOT
readonly ENTRYPOINT_SRC="$REPO_ROOT/deploy/docker/postgres/entrypoint.sh"
readonly CACHE_DIR=${RURAL_REGISTRY_CACHE_DIR:-$REPO_ROOT/.local/cache}
# Bump the suffix when the rootfs recipe below changes.
readonly ROOTFS_TARBALL="$CACHE_DIR/postgres15-bookworm-minbase-rootfs-v1.tar"
readonly SUITE=bookworm
readonly PACKAGES=postgresql-15
readonly LABEL_KEY=org.rural-registry.entrypoint-sha256

IMAGE=${1:-${TEST_POSTGRES_IMAGE:-rural-registry/postgres:15}}
readonly IMAGE

die() {
	printf 'build-postgres-image: error: %s\n' "$*" >&2
	exit 1
}

WORK_DIR=""
cleanup() {
	[[ -n "$WORK_DIR" && -d "$WORK_DIR" ]] || return 0
	# debootstrap mounts proc/sys inside the target: never delete through a
	# mount point, even after a failed run.
	local m
	while read -r m; do
		umount -l "$m" 2>/dev/null || true
	done < <(awk -v d="$WORK_DIR/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r)
	rm -rf --one-file-system "$WORK_DIR"
}
trap cleanup EXIT

# shellcheck source=lib/debian-mirror.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/debian-mirror.sh"


ensure_debootstrap() {
	command -v debootstrap >/dev/null 2>&1 && return 0
	local log="$WORK_DIR/apt.log"
	if ! { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends debootstrap; } >"$log" 2>&1; then
		cat "$log" >&2
		die "could not install debootstrap"
	fi
}

# Makes $ROOTFS_TARBALL: debootstrap, trim, tar.
make_rootfs_tarball() {
	[[ "$(id -u)" == 0 ]] || die "$ROOTFS_TARBALL is not cached yet and debootstrap needs root: run this script as root"
	local mirror root="$WORK_DIR/rootfs" log="$WORK_DIR/debootstrap.log"
	mirror=$(debian_mirror) ||
		die "cannot find the Debian mirror serving 'bookworm' in /etc/apt/sources.list{,.d/}; set DEBIAN_MIRROR"
	ensure_debootstrap

	if ! debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$root" "$mirror" >"$log" 2>&1; then
		tail -n 40 "$log" >&2
		[[ -f "$root/debootstrap/debootstrap.log" ]] && tail -n 40 "$root/debootstrap/debootstrap.log" >&2
		die "debootstrap failed"
	fi

	local ext
	for ext in unaccent pg_trgm; do
		[[ -f "$root/usr/share/postgresql/15/extension/$ext.control" ]] ||
			die "the rootfs lacks the PostgreSQL extension $ext"
	done
	[[ -x "$root/usr/lib/postgresql/15/bin/pg_isready" ]] || die "the rootfs lacks pg_isready"

	# The package's own cluster (15/main) is not used: the entrypoint creates
	# one in $PGDATA. Drop apt's caches and lists, docs and translations, and
	# the mirror address (the image never runs apt).
	rm -rf "$root/var/lib/postgresql/15" "$root/etc/postgresql/15"
	rm -rf "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* "$root"/var/log/* \
		"$root"/usr/share/doc/* "$root"/usr/share/man/* "$root"/usr/share/info/* \
		"$root"/usr/share/locale/* "$root/debootstrap"
	: >"$root/etc/apt/sources.list"
	printf 'localhost\n' >"$root/etc/hostname"
	: >"$root/etc/resolv.conf"
	mkdir -p "$root/var/lib/postgresql/data" "$root/run/postgresql"
	chroot "$root" chown postgres:postgres /var/lib/postgresql/data /run/postgresql
	chmod 0700 "$root/var/lib/postgresql/data"
	chmod 03777 "$root/run/postgresql"

	mkdir -p "$CACHE_DIR"
	local tmp="$ROOTFS_TARBALL.tmp.$$"
	# Docker provides /dev, /proc and /sys itself: only keep the mount points.
	tar --numeric-owner --one-file-system -C "$root" \
		--exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
		-cf "$tmp" . || {
		rm -f "$tmp"
		die "could not write $tmp"
	}
	mv -f "$tmp" "$ROOTFS_TARBALL"
	rm -rf --one-file-system "$root"
}

main() {
	command -v docker >/dev/null 2>&1 || die "no docker client on PATH; run deploy/local/provision-docker.sh first"
	timeout 20 docker info >/dev/null 2>&1 ||
		die "the Docker engine does not answer; run deploy/local/provision-docker.sh first (as root)"
	[[ -f "$ENTRYPOINT_SRC" ]] || die "missing $ENTRYPOINT_SRC"

	# One build at a time (per cache directory); whoever waited re-checks.
	# (Best effort: a user who may not write there can only use the image.)
	if mkdir -p "$CACHE_DIR" 2>/dev/null && touch "$CACHE_DIR/.build.lock" 2>/dev/null; then
		exec 9>"$CACHE_DIR/.build.lock"
		flock -w 900 9 || die "another build-postgres-image.sh run holds $CACHE_DIR/.build.lock"
	fi

	local sum current old_id=""
	sum=$(sha256sum "$ENTRYPOINT_SRC" | cut -d' ' -f1)
	if current=$(docker image inspect --format "{{index .Config.Labels \"$LABEL_KEY\"}}" "$IMAGE" 2>/dev/null); then
		if [[ "$current" == "$sum" && "${REBUILD_POSTGRES_IMAGE:-0}" != 1 ]]; then
			exit 0
		fi
		old_id=$(docker image inspect --format '{{.Id}}' "$IMAGE")
	fi

	WORK_DIR=$(mktemp -d "${TMPDIR:-/var/tmp}/rural-registry-pgimage.XXXXXX")
	chmod 0755 "$WORK_DIR"
	if [[ ! -s "$ROOTFS_TARBALL" ]]; then
		make_rootfs_tarball
	fi

	# Add the entrypoint to a copy of the cached tarball.
	local tarball="$WORK_DIR/image.tar" stage="$WORK_DIR/stage"
	mkdir -p "$stage/usr/local/bin"
	install -m 0755 "$ENTRYPOINT_SRC" "$stage/usr/local/bin/docker-entrypoint.sh"
	ln -s usr/local/bin/docker-entrypoint.sh "$stage/docker-entrypoint.sh"
	cp --reflink=auto "$ROOTFS_TARBALL" "$tarball"
	tar --append --owner=0 --group=0 --numeric-owner -f "$tarball" -C "$stage" \
		./usr/local/bin/docker-entrypoint.sh ./docker-entrypoint.sh

	local out
	if ! out=$(docker import \
		--change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
		--change 'ENV PGDATA=/var/lib/postgresql/data' \
		--change 'ENV LANG=C.UTF-8' \
		--change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
		--change 'CMD ["postgres"]' \
		--change 'EXPOSE 5432' \
		--change 'STOPSIGNAL SIGINT' \
		--change "LABEL $LABEL_KEY=$sum" \
		--message "PostgreSQL 15 on Debian $SUITE (deploy/local/build-postgres-image.sh)" \
		"$tarball" "$IMAGE" 2>&1); then
		printf '%s\n' "$out" >&2
		die "docker import failed"
	fi
	# The previous build of this tag is now untagged: drop it unless a
	# container still uses it.
	if [[ -n "$old_id" && "$old_id" != "$out" ]]; then
		docker image rm "$old_id" >/dev/null 2>&1 || true
	fi
}

main "$@"
