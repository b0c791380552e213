#!/usr/bin/env bash
# A real STUN server for the snowflake checks: coturn's turnserver in STUN-only mode on a
# loopback UDP port (no TLS/DTLS, no CLI, no relaying, no database; an empty config file so
# /etc/turnserver.conf is never read), plus a UDP port where nothing listens.
#   tests/peers/stun.sh start DIR   # writes DIR/env: STUN_PORT, STUN_CLOSED_PORT
#   tests/peers/stun.sh stop DIR
# Also sourced by tests/peers/lib.sh (functions stun_start / stun_stop).

# shellcheck source=tests/peers/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

# stun_free_udp: a UDP port on 127.0.0.1 nothing is bound to.
stun_free_udp() {
	python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# stun_answers PORT: true when a STUN Binding request to 127.0.0.1:PORT gets a success answer.
stun_answers() {
	python3 - "$1" <<'EOF'
import os, socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.3)
tx = os.urandom(12)
s.sendto(struct.pack("!HHI", 1, 0, 0x2112A442) + tx, ("127.0.0.1", int(sys.argv[1])))
try:
    data = s.recv(1500)
except OSError:
    sys.exit(1)
sys.exit(0 if data[:2] == b"\x01\x01" and data[8:20] == tx else 1)
EOF
}

stun_start() {
	local dir=$1 try port closed pg end
	if ! command -v turnserver >/dev/null; then
		peer_log "stun needs turnserver (Debian package coturn; make deps installs it)"
		return 1
	fi
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	rm -f "$dir/env"
	: >"$dir/empty.conf"
	for try in 1 2 3; do
		port=$(stun_free_udp) && closed=$(stun_free_udp) || return 1
		start_daemon "$dir/pid" "$dir/log" turnserver -c "$dir/empty.conf" -n --stun-only \
			--listening-ip=127.0.0.1 --listening-port="$port" --no-tls --no-dtls --no-tcp --no-cli \
			--no-software-attribute --log-file=stdout --simple-log --pidfile="$dir/turnserver.pid"
		pg=$(cat "$dir/pid")
		end=$((SECONDS + 10))
		while group_alive "$pg" && [ "$SECONDS" -lt "$end" ]; do
			if stun_answers "$port"; then
				write_env "$dir/env" STUN_PORT="$port" STUN_CLOSED_PORT="$closed"
				return 0
			fi
			sleep 0.1
		done
		peer_log "stun: turnserver did not answer on UDP $port (try $try):"
		tail -n 5 "$dir/log" >&2
		stop_daemon "$dir/pid"
	done
	return 1
}

stun_stop() {
	stop_daemon "$1/pid"
	rm -f "$1/turnserver.pid"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case "${1:-} $#" in
	"start 2") stun_start "$2" ;;
	"stop 2") stun_stop "$2" ;;
	*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
	esac
fi
