#!/usr/bin/env bash
# Shared helpers for the loopback test peers: free ports, waiting for a port or a file,
# starting a daemon in its own process group, stopping it (TERM, wait, KILL, reap), env files.
# Sourced by the peer scripts and tests/run-all; run directly it starts or stops all peers:
#   tests/peers/lib.sh up STATE_DIR     # starts every peer, writes STATE_DIR/peers.env
#   tests/peers/lib.sh down STATE_DIR   # stops every peer started there, removes STATE_DIR
# Only 127.0.0.0/8 and ::1 are ever used.

# Sourced again by the peer scripts it sources: load once (and never rerun the main part).
if [ -n "${PEERS_LIB_LOADED:-}" ]; then return 0; fi
PEERS_LIB_LOADED=1
PEERS_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

peer_log() { printf 'peers: %s\n' "$*" >&2; }

# free_port [HOST]: prints a TCP port that nothing is bound to on HOST (127.0.0.1 or ::1).
# The kernel picks it (bind to port 0), so it is in the ephemeral range and unlikely to be
# picked again soon; a caller that then fails to bind it should retry with a new one.
free_port() {
	python3 - "${1:-127.0.0.1}" <<'EOF'
import socket, sys
host = sys.argv[1]
s = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
s.bind((host, 0))
print(s.getsockname()[1])
s.close()
EOF
}

# port_open HOST PORT: true when a TCP connect to HOST:PORT succeeds (1 s at most).
port_open() {
	# shellcheck disable=SC2016  # expanded by the inner shell
	timeout 1 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

# wait_port HOST PORT SECONDS [PGID]: waits until HOST:PORT accepts connections; fails after
# SECONDS, or at once when the process group PGID (the daemon that should open it) has died.
wait_port() {
	local host=$1 port=$2 secs=$3 pg=${4:-} end
	end=$((SECONDS + secs))
	while ! port_open "$host" "$port"; do
		if [ -n "$pg" ] && ! group_alive "$pg"; then
			peer_log "process $pg died before $host:$port opened"
			return 1
		fi
		if [ "$SECONDS" -ge "$end" ]; then
			peer_log "timed out after ${secs}s waiting for $host:$port"
			return 1
		fi
		sleep 0.1
	done
}

# wait_file FILE SECONDS [PGID] [PATTERN]: waits until FILE exists (and, with PATTERN, has a
# line matching that extended regex); like wait_port for the rest.
wait_file() {
	local file=$1 secs=$2 pg=${3:-} pat=${4:-} end
	end=$((SECONDS + secs))
	while :; do
		if [ -s "$file" ] && { [ -z "$pat" ] || grep -Eq -- "$pat" "$file"; }; then
			return 0
		fi
		if [ -n "$pg" ] && ! group_alive "$pg"; then
			peer_log "process $pg died before $file was ready"
			return 1
		fi
		if [ "$SECONDS" -ge "$end" ]; then
			peer_log "timed out after ${secs}s waiting for $file${pat:+ to match $pat}"
			return 1
		fi
		sleep 0.1
	done
}

# group_members PGID: prints the live (not zombie) processes of process group PGID.
group_members() {
	local pg=$1 f stat rest fields
	for f in /proc/[0-9]*/stat; do
		stat=
		read -r stat 2>/dev/null <"$f" || true   # the read builtin: no fork per process
		[ -n "$stat" ] || continue
		rest=${stat##*) }            # after "pid (comm) ": "STATE PPID PGRP ..."
		read -r -a fields <<<"$rest"
		if [ "${fields[2]}" = "$pg" ] && [ "${fields[0]}" != Z ]; then
			f=${f#/proc/}
			echo "${f%/stat}"
		fi
	done
}

group_alive() { [ -n "$(group_members "$1")" ]; }

# start_daemon PIDFILE LOGFILE CMD...: runs CMD in the background as the leader of its own
# process group (so stopping the group takes its children along), with stdin from /dev/null
# and stdout+stderr appended to LOGFILE; writes the pid (= the group id) to PIDFILE. The
# process stays a child of the calling shell, which can then reap it (stop_daemon does).
start_daemon() {
	local pidfile=$1 logfile=$2
	shift 2
	if [[ $- == *m* ]]; then
		"$@" </dev/null >>"$logfile" 2>&1 &   # job control gives it its own group already
	else
		setsid "$@" </dev/null >>"$logfile" 2>&1 &   # not a group leader: setsid does not fork
	fi
	echo "$!" >"$pidfile"
}

# stop_daemon PIDFILE [GRACE_SECONDS]: SIGTERM to the process group in PIDFILE, waits up to
# GRACE_SECONDS (default 5) for every member to exit, then SIGKILL; reaps it if it is our
# child; removes PIDFILE. Safe to call twice or with a missing PIDFILE.
stop_daemon() {
	local pidfile=$1 grace=${2:-5} pid end
	[ -f "$pidfile" ] || return 0
	pid=$(cat "$pidfile")
	rm -f "$pidfile"
	[ -n "$pid" ] || return 0
	if group_alive "$pid"; then
		kill -TERM -- "-$pid" 2>/dev/null || true
		end=$((SECONDS + grace))
		while group_alive "$pid" && [ "$SECONDS" -lt "$end" ]; do sleep 0.1; done
		if group_alive "$pid"; then
			peer_log "process group $pid ignored SIGTERM for ${grace}s: SIGKILL"
			kill -KILL -- "-$pid" 2>/dev/null || true
			end=$((SECONDS + 3))
			while group_alive "$pid" && [ "$SECONDS" -lt "$end" ]; do sleep 0.1; done
		fi
	fi
	wait "$pid" 2>/dev/null || true
}

# nginx_conf_head DIR CONNECTIONS [DEFAULT_TYPE]: the start of an nginx.conf for a peer
# living in DIR (pid, logs/ and tmp/ there, made here), up to and including "http {"; the
# caller writes its server blocks and the closing brace. Run as root, workers stay root
# (the peers' files are root's).
nginx_conf_head() {
	local d=$1 conns=$2 type=${3:-text/html}
	mkdir -p "$d/logs" "$d/tmp"
	[ "$(id -u)" != 0 ] || echo "user root;"
	cat <<EOF
daemon off;
worker_processes 1;
pid $d/nginx.pid;
error_log $d/logs/error.log warn;
events { worker_connections $conns; }
http {
    access_log off;
    default_type $type;
    client_body_temp_path $d/tmp/body;
    proxy_temp_path $d/tmp/proxy;
    fastcgi_temp_path $d/tmp/fastcgi;
    uwsgi_temp_path $d/tmp/uwsgi;
    scgi_temp_path $d/tmp/scgi;
EOF
}

# write_env FILE KEY=VALUE...: writes KEY='VALUE' lines (valid shell; tests/integration/run
# reads them with shlex) atomically, so a reader never sees half a file.
write_env() {
	local file=$1 kv
	shift
	: >"$file.tmp"
	for kv in "$@"; do
		case ${kv#*=} in *"'"*) peer_log "write_env: quote in value of ${kv%%=*}"; return 1 ;; esac
		printf "%s='%s'\n" "${kv%%=*}" "${kv#*=}" >>"$file.tmp"
	done
	mv "$file.tmp" "$file"
}

# hostile_start DIR / hostile_stop DIR: the misbehaving listeners of hostile.py (every
# mode, plus the closed port); DIR/env gets their HOSTILE_*_PORT and CLOSED_PORT.
hostile_start() {
	local dir=$1
	mkdir -p "$dir"
	rm -f "$dir/env"
	start_daemon "$dir/pid" "$dir/log" python3 "$PEERS_LIB_DIR/hostile.py" --env "$dir/env" \
		silent garbage close drip reset closed
	if ! wait_file "$dir/env" 10 "$(cat "$dir/pid")"; then
		cat "$dir/log" >&2
		hostile_stop "$dir"
		return 1
	fi
}
hostile_stop() { stop_daemon "$1/pid"; }

# The peers, in start order: NAME_start DIR starts one and writes DIR/env, NAME_stop DIR
# stops it. hostile's functions are above; the others are in tests/peers/NAME.sh (- → _).
# Every tests/peers/NAME.sh (except this file) defines NAME_start DIR and NAME_stop DIR
# (dashes in NAME become underscores); a new peer is one new file, nothing else changes.
PEERS_ALL="hostile"
for _peer_file in "$PEERS_LIB_DIR"/*.sh; do
	_peer_name=$(basename "$_peer_file" .sh)
	[ "$_peer_name" = lib ] || PEERS_ALL="$PEERS_ALL $_peer_name"
done
unset _peer_file _peer_name

peer_functions() {
	local name=$1
	if [ -f "$PEERS_LIB_DIR/$name.sh" ]; then
		# shellcheck source=/dev/null
		source "$PEERS_LIB_DIR/$name.sh"
	fi
}

# peers_up STATE_DIR: starts every peer under STATE_DIR/NAME/ and concatenates their env
# files into STATE_DIR/peers.env. A peer that fails to start is reported and left out (its
# variables are then missing and the cases that use them fail saying so); returns 1 then.
peers_up() {
	local state=$1 name fn rc=0
	mkdir -p "$state"
	: >"$state/peers.env"
	for name in $PEERS_ALL; do
		fn=${name//-/_}
		peer_functions "$name"
		mkdir -p "$state/$name"
		if "${fn}_start" "$state/$name"; then
			cat "$state/$name/env" >>"$state/peers.env"
		else
			peer_log "$name did not start"
			rc=1
		fi
	done
	return "$rc"
}

# peers_down STATE_DIR: stops every peer started under STATE_DIR and removes it.
peers_down() {
	local state=$1 name fn
	[ -d "$state" ] || return 0
	for name in $PEERS_ALL; do
		fn=${name//-/_}
		peer_functions "$name"
		if [ -d "$state/$name" ]; then "${fn}_stop" "$state/$name"; fi
	done
	rm -rf "$state"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case "${1:-}" in
	up)
		[ $# -eq 2 ] || { echo "usage: $0 up STATE_DIR" >&2; exit 2; }
		peers_up "$2"
		;;
	down)
		[ $# -eq 2 ] || { echo "usage: $0 down STATE_DIR" >&2; exit 2; }
		peers_down "$2"
		;;
	*)
		echo "usage: $0 up|down STATE_DIR" >&2
		exit 2
		;;
	esac
fi
