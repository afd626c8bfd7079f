#!/usr/bin/env bash
# Ensures a Docker engine answering with API >= 1.44 is available, as
# Testcontainers for .NET 4.x needs (Debian 12's docker.io 20.10 only speaks
# API 1.41).
#
#   1. An engine already answering with API >= 1.44: nothing to do.
#   2. A dockerd >= 25 installed but not running: start it in the background.
#   3. Otherwise: install docker.io (and docker-cli) from Debian 13 "trixie"
#      through an extra apt source, pinned so that nothing else is taken from
#      trixie, then start it.
#
# dockerd is started with nohup/setsid, logs to $DOCKERD_LOG, writes
# $DOCKERD_PIDFILE, and listens on the default unix:///var/run/docker.sock.
# Flags: none by default; if that daemon does not come up, the script retries
# with --iptables=false, then --storage-driver=vfs, then both. Set
# RURAL_REGISTRY_DOCKERD_FLAGS to force a flag set instead.
#
# The Debian mirror is read from this machine's own apt sources (the one that
# serves the bookworm suite of the Debian archive); DEBIAN_MIRROR overrides it.
#
# Exit status 0 only when `docker info` works. Quiet on success.
#
# Note for tests: no image can be pulled here, so Testcontainers must run with
# TESTCONTAINERS_RYUK_DISABLED=true and a locally built image (see
# deploy/local/build-postgres-image.sh). This machine has a /.dockerenv, so
# Testcontainers believes it runs inside a container and connects to the
# bridge gateway (172.17.0.1) instead of the host: set
# TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 to keep its traffic on loopback.
set -euo pipefail

readonly MIN_API=1.44
readonly MIN_DOCKERD_MAJOR=25 # Docker 25.0 introduced API 1.44
readonly DOCKERD_LOG=${DOCKERD_LOG:-/var/log/rural-registry-dockerd.log}
readonly DOCKERD_PIDFILE=${DOCKERD_PIDFILE:-/var/run/rural-registry-dockerd.pid}
readonly WAIT_SECONDS=${DOCKERD_WAIT_SECONDS:-60}
readonly APT_SOURCE_FILE=/etc/apt/sources.list.d/rural-registry-trixie.sources
readonly APT_PREFS_FILE=/etc/apt/preferences.d/rural-registry-trixie
readonly LOCK_FILE=/run/rural-registry-provision-docker.lock

TMP_FILES=()
cleanup() { if ((${#TMP_FILES[@]})); then rm -f "${TMP_FILES[@]}"; fi; }
trap cleanup EXIT

die() {
	printf 'provision-docker: error: %s\n' "$*" >&2
	exit 1
}
warn() { printf 'provision-docker: %s\n' "$*" >&2; }

# Prints the server's API version, or fails when no engine answers.
server_api_version() {
	command -v docker >/dev/null 2>&1 || return 1
	timeout 10 docker version --format '{{.Server.APIVersion}}' 2>/dev/null
}

version_at_least() { # VERSION MINIMUM
	[[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" == "$2" ]]
}

engine_ok() {
	local api
	api=$(server_api_version) || return 1
	[[ -n "$api" ]] && version_at_least "$api" "$MIN_API"
}

docker_info_ok() { timeout 20 docker info >/dev/null 2>&1; }

# Succeeds when an installed dockerd is new enough.
dockerd_new_enough() {
	local v
	command -v dockerd >/dev/null 2>&1 || return 1
	v=$(dockerd --version 2>/dev/null | sed -n 's/^Docker version \([0-9][0-9]*\)\..*/\1/p')
	[[ -n "$v" && "$v" -ge "$MIN_DOCKERD_MAJOR" ]]
}

# Succeeds when PID is a live process (not a zombie: a dead daemon that
# nobody has reaped yet still answers kill -0).
pid_alive() {
	local state
	state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
	[[ -n "$state" && "$state" != Z* ]]
}

dockerd_running_pid() {
	local pid
	for pid in $(pgrep -x dockerd || true); do
		if pid_alive "$pid"; then
			printf '%s\n' "$pid"
			return 0
		fi
	done
	return 1
}

# Waits up to WAIT_SECONDS for the engine to answer; with a PID, fails early
# when that process has exited.
wait_for_engine() { # [PID]
	local pid=${1:-} i
	for ((i = 0; i < WAIT_SECONDS * 2; i++)); do
		if engine_ok && docker_info_ok; then
			return 0
		fi
		if [[ -n "$pid" ]] && ! pid_alive "$pid"; then
			return 1
		fi
		sleep 0.5
	done
	return 1
}

# shellcheck source=lib/debian-mirror.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib/debian-mirror.sh"


# Writes FILE with CONTENT unless it already holds exactly that; succeeds
# when it changed something.
write_if_changed() { # FILE CONTENT
	if [[ -f "$1" ]] && [[ "$(cat "$1")" == "$2" ]]; then
		return 1
	fi
	printf '%s\n' "$2" >"$1"
}

install_from_trixie() { # PACKAGE...
	local mirror changed=0 log
	mirror=$(debian_mirror) ||
		die "cannot find the Debian mirror serving 'bookworm' in /etc/apt/sources.list{,.d/}; set DEBIAN_MIRROR"
	command -v apt-get >/dev/null 2>&1 || die "apt-get not found: this script supports Debian 12 only"

	if write_if_changed "$APT_SOURCE_FILE" "# Added by deploy/local/provision-docker.sh: docker.io >= 25 (Docker API >= 1.44).
Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"; then changed=1; fi

	if write_if_changed "$APT_PREFS_FILE" "# Added by deploy/local/provision-docker.sh: take only Docker from trixie.
Package: *
Pin: release n=trixie
Pin-Priority: 100

Package: docker.io docker-cli docker-buildx docker-compose
Pin: release n=trixie
Pin-Priority: 990"; then changed=1; fi

	log=$(mktemp)
	TMP_FILES+=("$log")
	if [[ "$changed" == 1 ]] || ! apt-cache policy docker.io 2>/dev/null | grep -q trixie; then
		if ! apt-get update -q >"$log" 2>&1; then
			cat "$log" >&2
			die "apt-get update failed"
		fi
	fi

	# Keep the package's maintainer scripts from starting a daemon of their
	# own (there is no init system here); this script starts dockerd itself.
	local policy=/usr/sbin/policy-rc.d own_policy=0
	if [[ ! -e "$policy" ]]; then
		printf '#!/bin/sh\nexit 101\n' >"$policy"
		chmod 0755 "$policy"
		own_policy=1
	fi
	local rc=0
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
		"$@" >"$log" 2>&1 || rc=$?
	if [[ "$own_policy" == 1 ]]; then rm -f "$policy"; fi
	if [[ "$rc" != 0 ]]; then
		cat "$log" >&2
		die "installing $* from trixie failed (exit $rc)"
	fi
}

install_docker_from_trixie() {
	install_from_trixie docker.io docker-cli
	dockerd_new_enough || die "docker.io was installed but 'dockerd --version' is still older than $MIN_DOCKERD_MAJOR.0"
}

# Removes a pidfile left behind by a dockerd that is gone (dockerd refuses
# to start while its pidfile names a live process).
clear_stale_pidfile() {
	local f pid
	for f in "$DOCKERD_PIDFILE" /var/run/docker.pid; do
		[[ -f "$f" ]] || continue
		pid=$(cat "$f" 2>/dev/null || true)
		if [[ -z "$pid" ]] || ! pid_alive "$pid" ||
			[[ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" != dockerd ]]; then
			rm -f "$f"
		fi
	done
}

# Starts dockerd with the given flags and waits for it; on failure stops it
# again and fails.
start_dockerd() { # FLAGS...
	local pid
	clear_stale_pidfile
	if [[ -f "$DOCKERD_LOG" ]] && (($(stat -c %s "$DOCKERD_LOG") > 10 * 1024 * 1024)); then
		mv -f "$DOCKERD_LOG" "$DOCKERD_LOG.1"
	fi
	printf '\n=== %s provision-docker: starting dockerd %s\n' "$(date -u +%FT%TZ)" "$*" >>"$DOCKERD_LOG"
	# setsid: own session, so the daemon survives the caller's terminal and
	# process group; nohup: ignore SIGHUP anyway.
	# 9>&-: the daemon must not inherit (and so keep) this script's lock.
	setsid nohup dockerd --pidfile "$DOCKERD_PIDFILE" "$@" </dev/null >>"$DOCKERD_LOG" 2>&1 9>&- &
	pid=$!
	if wait_for_engine "$pid"; then
		return 0
	fi
	if pid_alive "$pid"; then
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 1 20); do pid_alive "$pid" || break; sleep 0.5; done
		if pid_alive "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
	fi
	wait "$pid" 2>/dev/null || true
	return 1
}

start_with_fallbacks() {
	if [[ -n "${RURAL_REGISTRY_DOCKERD_FLAGS:-}" ]]; then
		local -a forced
		read -r -a forced <<<"$RURAL_REGISTRY_DOCKERD_FLAGS"
		start_dockerd "${forced[@]}" && return 0
		die "dockerd ${RURAL_REGISTRY_DOCKERD_FLAGS} exited or did not answer within ${WAIT_SECONDS}s; see $DOCKERD_LOG"
	fi
	start_dockerd && return 0
	warn "dockerd with default flags failed; retrying with --iptables=false (see $DOCKERD_LOG)"
	start_dockerd --iptables=false && return 0
	warn "retrying with --storage-driver=vfs"
	start_dockerd --storage-driver=vfs && return 0
	warn "retrying with --storage-driver=vfs --iptables=false"
	start_dockerd --storage-driver=vfs --iptables=false && return 0
	tail -n 30 "$DOCKERD_LOG" >&2 || true
	die "could not start dockerd; see $DOCKERD_LOG"
}

ensure_engine() {
	if engine_ok; then
		docker_info_ok && return 0
	fi

	[[ "$(id -u)" == 0 ]] || die "no Docker engine with API >= $MIN_API answers, and installing or starting one needs root: run this script as root (e.g. sudo $0)"

	# One provisioning at a time; whoever waited re-checks first.
	exec 9>"$LOCK_FILE"
	flock -w 600 9 || die "another provision-docker.sh run holds $LOCK_FILE"
	if engine_ok && docker_info_ok; then
		return 0
	fi

	local pid api
	pid=$(dockerd_running_pid || true)
	if [[ -n "$pid" ]]; then
		# A daemon is up (or still starting): give it the time to answer.
		if wait_for_engine "$pid"; then
			return 0
		fi
		api=$(server_api_version || true)
		if [[ -n "$api" ]]; then
			die "the running dockerd (pid $pid) speaks API $api, older than $MIN_API; stop it, then rerun this script"
		fi
		if pid_alive "$pid"; then
			die "dockerd (pid $pid) is running but does not answer; see $DOCKERD_LOG, stop it, then rerun this script"
		fi
	fi

	if ! dockerd_new_enough; then
		install_docker_from_trixie
	fi
	command -v docker >/dev/null 2>&1 || die "no docker client on PATH after installing docker-cli"

	start_with_fallbacks
	docker_info_ok || die "dockerd started but 'docker info' fails; see $DOCKERD_LOG"
}

# docker compose (v2, the CLI plugin) validates docker-compose.yml; Debian 12 has only compose v1.
ensure_compose() {
	docker compose version >/dev/null 2>&1 && return 0
	[[ "$(id -u)" == 0 ]] || die "docker compose is missing, and installing it needs root"
	install_from_trixie docker-compose
	docker compose version >/dev/null 2>&1 || die "docker-compose was installed but 'docker compose' does not answer"
}

main() {
	ensure_engine
	ensure_compose
}

main "$@"
