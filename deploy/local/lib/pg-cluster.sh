#!/usr/bin/env bash
# A project-local PostgreSQL 15 cluster run from Debian's postgresql-15 server
# binaries (/usr/lib/postgresql/15/bin), for development and tests without
# Docker.
#
# Source it:
#
#   . deploy/local/lib/pg-cluster.sh
#   pg_cluster_start "$PWD/.local/pg/data" 55432 registry   # initdb if needed, start
#   pg_cluster_ensure_db "$PWD/.local/pg/data" 55432 other  # another database
#   pg_cluster_stop "$PWD/.local/pg/data"
#   pg_cluster_standby "$PWD/.local/pg/data" 55432 "$PWD/.local/pg/standby" 55434
#                                     # a streaming standby of it (pg_basebackup -R), started
#
# or run it: deploy/local/lib/pg-cluster.sh start|stop|ensure_db ARGS...
#
# The cluster listens on 127.0.0.1:PORT only. Authentication: trust on the
# unix socket, scram-sha-256 passwords over TCP. The login role `registry`
# (password `registry`, CREATEDB) owns the databases created here, so e.g.
#   Host=127.0.0.1;Port=PORT;Database=DB;Username=registry;Password=registry
# works, and it may CREATE EXTENSION unaccent / pg_trgm (trusted extensions).
#
# Files next to DATA_DIR: DATA_DIR.log (server log) and DATA_DIR.run/ (unix
# socket; /tmp/rural-registry-pg-* instead when that path would be too long
# for a socket). As root, everything runs as the `postgres` user (initdb and
# postgres refuse to run as root); the directories above DATA_DIR are made
# traversable for it when they are not.
#
# The functions print nothing on success; on failure they explain on stderr
# and return non-zero. Sourcing this file changes no shell option.

PG_CLUSTER_BIN=${PG_CLUSTER_BIN:-/usr/lib/postgresql/15/bin}
PG_CLUSTER_ROLE=${PG_CLUSTER_ROLE:-registry}
PG_CLUSTER_PASSWORD=${PG_CLUSTER_PASSWORD:-registry}

_pg_cluster_err() { printf 'pg-cluster: error: %s\n' "$*" >&2; }

# Installs postgresql-15 when its server binaries are missing (root only).
_pg_cluster_ensure_binaries() {
	[[ -x "$PG_CLUSTER_BIN/postgres" && -x "$PG_CLUSTER_BIN/initdb" && -x "$PG_CLUSTER_BIN/pg_ctl" ]] && return 0
	if [[ "$(id -u)" != 0 ]]; then
		_pg_cluster_err "$PG_CLUSTER_BIN/postgres not found; install postgresql-15 (as root: apt-get install postgresql-15)"
		return 1
	fi
	local log rc=0 policy=/usr/sbin/policy-rc.d own_policy=0
	log=$(mktemp) || return 1
	# Keep the package from starting its own cluster on port 5432.
	if [[ ! -e "$policy" ]]; then
		printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod 0755 "$policy" && own_policy=1
	fi
	{ apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql-15; } >"$log" 2>&1 || rc=$?
	if [[ "$own_policy" == 1 ]]; then rm -f "$policy"; fi
	if [[ "$rc" != 0 || ! -x "$PG_CLUSTER_BIN/postgres" ]]; then
		cat "$log" >&2
		rm -f "$log"
		_pg_cluster_err "installing postgresql-15 failed"
		return 1
	fi
	rm -f "$log"
}

# Prints the absolute form of a path (which need not exist yet).
_pg_cluster_abs() {
	local p=$1
	[[ "$p" == /* ]] || p="$PWD/$p"
	realpath -m -- "$p"
}

# The OS user that runs the server: the owner of an existing cluster, else
# postgres when running as root, else the current user.
_pg_cluster_os_user() { # DATA_DIR
	if [[ "$(id -u)" != 0 ]]; then
		id -un
	elif [[ -s "$1/PG_VERSION" ]]; then
		stat -c %U "$1"
	else
		printf 'postgres\n'
	fi
}

# Runs a command as USER (directly when that is the current user).
_pg_cluster_as() { # USER CMD...
	local user=$1
	shift
	if [[ "$user" == "$(id -un)" ]]; then
		"$@"
	else
		runuser -u "$user" -- "$@"
	fi
}

pg_cluster_socket_dir() { # DATA_DIR [PORT]
	local data sock
	data=$(_pg_cluster_abs "$1") || return 1
	sock="$data.run"
	# sun_path holds 107 bytes: "$sock/.s.PGSQL.NNNNN" must fit.
	if ((${#sock} + 20 > 100)); then
		sock="/tmp/rural-registry-pg-$(printf '%s' "$data" | cksum | cut -d' ' -f1)"
	fi
	printf '%s\n' "$sock"
}

# Makes every directory above PATH traversable (o+x) for USER when it is not.
_pg_cluster_make_traversable() { # USER PATH
	local user=$1 dir
	dir=$(dirname -- "$2")
	while [[ "$dir" != / ]]; do
		if [[ -d "$dir" ]] && ! _pg_cluster_as "$user" test -x "$dir" 2>/dev/null; then
			chmod o+x "$dir" || return 1
		fi
		dir=$(dirname -- "$dir")
	done
}

# Succeeds when the cluster in DATA_DIR is running; prints its port.
_pg_cluster_running_port() { # DATA_DIR
	local pidfile="$1/postmaster.pid" pid port
	[[ -r "$pidfile" ]] || return 1
	pid=$(sed -n 1p "$pidfile")
	port=$(sed -n 4p "$pidfile")
	[[ -n "$pid" ]] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	[[ "$(ps -o stat= -p "$pid" 2>/dev/null)" != Z* ]] || return 1
	printf '%s\n' "$port"
}

# Runs SQL (from stdin) as the superuser over the unix socket.
_pg_cluster_psql() { # DATA_DIR PORT DBNAME [psql args...]
	local data=$1 port=$2 db=$3 sock
	shift 3
	sock=$(pg_cluster_socket_dir "$data") || return 1
	"$PG_CLUSTER_BIN/psql" -X -q -v ON_ERROR_STOP=1 --no-password \
		-h "$sock" -p "$port" -U postgres -d "$db" "$@"
}

# pg_cluster_start DATA_DIR PORT [DBNAME]
# Creates the cluster when DATA_DIR is missing or empty, starts it unless it
# already runs, and ensures role registry and database DBNAME (default
# registry).
pg_cluster_start() {
	if [[ $# -lt 2 ]]; then
		_pg_cluster_err "usage: pg_cluster_start DATA_DIR PORT [DBNAME]"
		return 2
	fi
	local data port=$2 db=${3:-registry} user sock log running
	data=$(_pg_cluster_abs "$1") || return 1
	if ! [[ "$port" =~ ^[0-9]+$ ]]; then
		_pg_cluster_err "invalid port: $port"
		return 2
	fi
	_pg_cluster_ensure_binaries || return 1

	if running=$(_pg_cluster_running_port "$data"); then
		if [[ "$running" != "$port" ]]; then
			_pg_cluster_err "the cluster in $data already runs on port $running, not $port"
			return 1
		fi
		pg_cluster_ensure_db "$data" "$port" "$db"
		return
	fi

	if [[ -d "$data" && ! -s "$data/PG_VERSION" && -n "$(ls -A "$data")" ]]; then
		_pg_cluster_err "$data is neither empty nor a PostgreSQL data directory"
		return 1
	fi

	user=$(_pg_cluster_os_user "$data") || return 1
	sock=$(pg_cluster_socket_dir "$data") || return 1
	log="$data.log"
	_pg_cluster_dirs "$user" "$data" "$sock" "$log" || return 1

	if [[ ! -s "$data/PG_VERSION" ]]; then
		local out
		# initdb's superuser gets no password: it is reached over the socket only, which only the
		# cluster's own OS user may open (unix_socket_permissions=0700 below).
		if ! out=$(_pg_cluster_as "$user" "$PG_CLUSTER_BIN/initdb" -D "$data" \
			--username=postgres --encoding=UTF8 --locale=C.UTF-8 \
			--auth-local=trust --auth-host=scram-sha-256 2>&1); then
			printf '%s\n' "$out" >&2
			_pg_cluster_err "initdb failed for $data"
			return 1
		fi
	fi

	_pg_cluster_pg_ctl_start "$user" "$data" "$port" "$sock" "$log" || return 1
	pg_cluster_ensure_db "$data" "$port" "$db"
}

# _pg_cluster_dirs USER DATA SOCK LOG: the data directory (0700), its socket directory and its log, owned by USER when
# run as root (a data directory already initialized keeps its owner).
_pg_cluster_dirs() {
	local user=$1 data=$2 sock=$3 log=$4
	mkdir -p "$data" "$sock" || return 1
	touch "$log" || return 1
	if [[ "$(id -u)" == 0 ]]; then
		chown "$user": "$sock" "$log" || return 1
		if [[ ! -s "$data/PG_VERSION" ]]; then
			chown "$user": "$data" || return 1
		fi
		_pg_cluster_make_traversable "$user" "$data" || return 1
	fi
	chmod 0700 "$data" && chmod 0755 "$sock" || return 1
}

# _pg_cluster_pg_ctl_start USER DATA PORT SOCK LOG [OPTIONS]: starts the server of DATA on 127.0.0.1:PORT, its socket
# in SOCK (its OS user only), with OPTIONS and PG_CLUSTER_OPTS; on failure shows the end of LOG.
_pg_cluster_pg_ctl_start() {
	local user=$1 data=$2 port=$3 sock=$4 log=$5 options=${6:-}
	if ! _pg_cluster_as "$user" "$PG_CLUSTER_BIN/pg_ctl" -D "$data" -l "$log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$sock' -c unix_socket_permissions=0700 $options ${PG_CLUSTER_OPTS:-}" \
		start >/dev/null 2>&1; then
		tail -n 20 "$log" >&2
		_pg_cluster_err "could not start the server in $data on port $port (log: $log)"
		return 1
	fi
}

# pg_cluster_stop DATA_DIR: fast shutdown; nothing to do when not running.
pg_cluster_stop() {
	if [[ $# -lt 1 ]]; then
		_pg_cluster_err "usage: pg_cluster_stop DATA_DIR"
		return 2
	fi
	local data user
	data=$(_pg_cluster_abs "$1") || return 1
	_pg_cluster_running_port "$data" >/dev/null || return 0
	user=$(_pg_cluster_os_user "$data") || return 1
	if ! _pg_cluster_as "$user" "$PG_CLUSTER_BIN/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null 2>&1; then
		_pg_cluster_err "could not stop the cluster in $data (log: $data.log)"
		return 1
	fi
}

# pg_cluster_standby PRIMARY_DATA PRIMARY_PORT STANDBY_DATA STANDBY_PORT
# Makes STANDBY_DATA a streaming hot standby of the running cluster in PRIMARY_DATA (pg_basebackup -R over the
# primary's unix socket, as its superuser: the copy's postgresql.auto.conf names the primary and standby.signal
# makes it follow), unless it already is one, and starts it on 127.0.0.1:STANDBY_PORT. It serves the primary's
# databases and roles read-only. Stop it with pg_cluster_stop STANDBY_DATA.
pg_cluster_standby() {
	if [[ $# -lt 4 ]]; then
		_pg_cluster_err "usage: pg_cluster_standby PRIMARY_DATA PRIMARY_PORT STANDBY_DATA STANDBY_PORT"
		return 2
	fi
	local primary port=$2 standby sport=$4 user psock ssock log
	primary=$(_pg_cluster_abs "$1") || return 1
	standby=$(_pg_cluster_abs "$3") || return 1
	if ! _pg_cluster_running_port "$primary" >/dev/null; then
		_pg_cluster_err "the primary in $primary is not running"
		return 1
	fi
	_pg_cluster_running_port "$standby" >/dev/null && return 0
	user=$(_pg_cluster_os_user "$primary") || return 1
	psock=$(pg_cluster_socket_dir "$primary") || return 1
	ssock=$(pg_cluster_socket_dir "$standby") || return 1
	log="$standby.log"
	_pg_cluster_dirs "$user" "$standby" "$ssock" "$log" || return 1
	if [[ ! -s "$standby/PG_VERSION" ]]; then
		local out
		if ! out=$(_pg_cluster_as "$user" "$PG_CLUSTER_BIN/pg_basebackup" -h "$psock" -p "$port" -U postgres \
			-D "$standby" -R -X stream -c fast 2>&1); then
			printf '%s\n' "$out" >&2
			_pg_cluster_err "pg_basebackup of the primary on port $port failed"
			return 1
		fi
	fi
	_pg_cluster_pg_ctl_start "$user" "$standby" "$sport" "$ssock" "$log" "-c hot_standby=on"
}

# pg_cluster_ensure_db DATA_DIR PORT DBNAME: ensures the login role
# registry/registry and database DBNAME owned by it.
pg_cluster_ensure_db() {
	if [[ $# -lt 3 ]]; then
		_pg_cluster_err "usage: pg_cluster_ensure_db DATA_DIR PORT DBNAME"
		return 2
	fi
	local data=$1 port=$2 db=$3 exists
	if ! _pg_cluster_psql "$data" "$port" postgres \
		-v role="$PG_CLUSTER_ROLE" -v pw="$PG_CLUSTER_PASSWORD" >/dev/null <<'SQL'
SELECT format('CREATE ROLE %I LOGIN CREATEDB', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'role', :'pw') \gexec
SQL
	then
		_pg_cluster_err "could not create role $PG_CLUSTER_ROLE in the cluster on port $port"
		return 1
	fi
	exists=$(_pg_cluster_psql "$data" "$port" postgres -At -v db="$db" <<<"SELECT 1 FROM pg_database WHERE datname = :'db';") || {
		_pg_cluster_err "could not query the cluster on port $port"
		return 1
	}
	if [[ -z "$exists" ]]; then
		if ! _pg_cluster_psql "$data" "$port" postgres -v db="$db" -v role="$PG_CLUSTER_ROLE" >/dev/null \
			<<<'CREATE DATABASE :"db" OWNER :"role";'; then
			_pg_cluster_err "could not create database $db"
			return 1
		fi
	fi
}

# Run as a script: deploy/local/lib/pg-cluster.sh start|stop|ensure_db ARGS...
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
	set -euo pipefail
	case "${1:-}" in
		start | stop | ensure_db | standby)
			cmd=$1
			shift
			"pg_cluster_$cmd" "$@"
			;;
		*)
			_pg_cluster_err "usage: $0 start DATA_DIR PORT [DBNAME] | stop DATA_DIR | ensure_db DATA_DIR PORT DBNAME | standby PRIMARY_DATA PRIMARY_PORT STANDBY_DATA STANDBY_PORT"
			exit 2
			;;
	esac
fi
