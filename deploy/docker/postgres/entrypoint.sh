#!/usr/bin/env bash
# Entrypoint of the locally built image rural-registry/postgres:15 (see
# deploy/local/build-postgres-image.sh). It mimics the official postgres image's
# docker-entrypoint.sh closely enough for Testcontainers.PostgreSql:
#
#   * POSTGRES_USER (default postgres), POSTGRES_PASSWORD (required unless
#     POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_DB (default: POSTGRES_USER),
#     POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD (default scram-sha-256)
#     and the *_FILE variants of the first four;
#   * the command is `postgres ARGS...`, or just `-c ...` options (a first
#     argument starting with '-' means `postgres` is put in front);
#   * on the first start the cluster is created in $PGDATA with POSTGRES_USER
#     as superuser, trust for the local socket and password authentication for
#     every TCP connection; a temporary server listening only on the unix
#     socket creates POSTGRES_DB and runs /docker-entrypoint-initdb.d/*.sh,
#     *.sql and *.sql.gz, and is stopped again;
#   * then the real server is exec'd with listen_addresses='*' and the given
#     arguments, so `pg_isready --host localhost` (Testcontainers' readiness
#     check, run through docker exec) succeeds only once that server is up.
#
# Started as root, it prepares the directories and runs itself again as the
# postgres user (initdb and postgres refuse to run as root).
set -Eeuo pipefail

: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA
if [[ -d /usr/lib/postgresql/15/bin && ":$PATH:" != *":/usr/lib/postgresql/15/bin:"* ]]; then
	export PATH="/usr/lib/postgresql/15/bin:$PATH"
fi

log() { printf '%s\n' "$*"; }
die() { printf 'docker-entrypoint.sh: error: %s\n' "$*" >&2; exit 1; }

# file_env VAR [DEFAULT]: VAR may also be given as VAR_FILE (a path to read).
file_env() {
	local var="$1" def="${2:-}" fileVar="${1}_FILE"
	if [[ -n "${!var:-}" && -n "${!fileVar:-}" ]]; then
		die "both $var and $fileVar are set (but are exclusive)"
	fi
	local val="$def"
	if [[ -n "${!var:-}" ]]; then
		val="${!var}"
	elif [[ -n "${!fileVar:-}" ]]; then
		val="$(<"${!fileVar}")"
	fi
	export "$var"="$val"
	unset "$fileVar"
}

# True when the postgres arguments only ask for help or version output.
wants_help() {
	local arg
	for arg; do
		case "$arg" in
			-'?' | --help | --describe-config | -V | --version) return 0 ;;
		esac
	done
	return 1
}

if [[ $# -eq 0 || "${1:0:1}" == '-' ]]; then
	set -- postgres "$@"
fi

if [[ "$1" != postgres ]] || wants_help "$@"; then
	exec "$@"
fi

if [[ "$(id -u)" == 0 ]]; then
	mkdir -p "$PGDATA"
	chmod 00700 "$PGDATA"
	if [[ "$(stat -c %U "$PGDATA")" != postgres ]]; then
		chown -R postgres:postgres "$PGDATA"
	fi
	mkdir -p /var/run/postgresql
	chown postgres:postgres /var/run/postgresql
	chmod 03777 /var/run/postgresql
	# Drop to the postgres user and start over.
	export HOME=/var/lib/postgresql USER=postgres LOGNAME=postgres
	if command -v setpriv >/dev/null 2>&1; then
		exec setpriv --reuid=postgres --regid=postgres --init-groups "${BASH_SOURCE[0]}" "$@"
	fi
	exec runuser -u postgres -- "${BASH_SOURCE[0]}" "$@"
fi

file_env POSTGRES_USER postgres
file_env POSTGRES_PASSWORD
file_env POSTGRES_DB "$POSTGRES_USER"
file_env POSTGRES_INITDB_ARGS
: "${POSTGRES_HOST_AUTH_METHOD:=scram-sha-256}"

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
	if [[ -z "$POSTGRES_PASSWORD" && "$POSTGRES_HOST_AUTH_METHOD" != trust ]]; then
		die "the database is uninitialized and POSTGRES_PASSWORD is not set; set it (or POSTGRES_HOST_AUTH_METHOD=trust)"
	fi

	log "initializing PostgreSQL cluster in $PGDATA (superuser $POSTGRES_USER)"
	initdb_args=(--username="$POSTGRES_USER" --encoding=UTF8 --locale=C.UTF-8
		--auth-local=trust --auth-host="$POSTGRES_HOST_AUTH_METHOD")
	# POSTGRES_INITDB_ARGS is word-split on purpose, as in the official image.
	# (The process substitution must sit on the initdb command itself: its
	# file descriptor is closed once the command that opened it is done.)
	if [[ -n "$POSTGRES_PASSWORD" ]]; then
		# shellcheck disable=SC2086
		initdb "${initdb_args[@]}" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") $POSTGRES_INITDB_ARGS
	else
		# shellcheck disable=SC2086
		initdb "${initdb_args[@]}" $POSTGRES_INITDB_ARGS
	fi

	{
		printf '\n# added by docker-entrypoint.sh\n'
		printf 'host all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD"
	} >>"$PGDATA/pg_hba.conf"
	if ! grep -Eq "^[[:space:]]*listen_addresses[[:space:]]*=" "$PGDATA/postgresql.conf"; then
		printf "listen_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
	fi

	# Temporary server: unix socket only, so nothing outside (nor
	# `pg_isready --host localhost`) sees it before the set-up is done.
	pg_ctl -D "$PGDATA" -w -t 60 -o "-c listen_addresses='' -p ${PGPORT:-5432}" start

	psql_cmd=(psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password --quiet
		--username "$POSTGRES_USER" --port "${PGPORT:-5432}")

	if [[ "$POSTGRES_DB" != postgres ]]; then
		exists="$("${psql_cmd[@]}" --dbname postgres --set db="$POSTGRES_DB" --tuples-only --no-align \
			<<<"SELECT 1 FROM pg_database WHERE datname = :'db';")"
		if [[ -z "$exists" ]]; then
			"${psql_cmd[@]}" --dbname postgres --set db="$POSTGRES_DB" \
				<<<'CREATE DATABASE :"db";'
		fi
	fi

	if [[ -d /docker-entrypoint-initdb.d ]]; then
		for f in /docker-entrypoint-initdb.d/*; do
			[[ -e "$f" ]] || continue
			case "$f" in
				*.sh)
					log "running $f"
					if [[ -x "$f" ]]; then "$f"; else
						# shellcheck disable=SC1090
						. "$f"
					fi
					;;
				*.sql) log "running $f"; "${psql_cmd[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
				*.sql.gz) log "running $f"; gzip -dc "$f" | "${psql_cmd[@]}" --dbname "$POSTGRES_DB" ;;
				*) log "ignoring $f" ;;
			esac
		done
	fi

	pg_ctl -D "$PGDATA" -m fast -w -t 60 stop
	log "PostgreSQL init process complete; ready for start up."
fi

exec "$@"
