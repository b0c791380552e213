#!/usr/bin/env bash
# A TLS server that is not Tor, for the tests: `openssl s_server` on 127.0.0.1 with a
# throwaway self-signed certificate made here. After the handshake it streams
# "HTTP/1.0 400 Bad Request" lines (fed by `yes` on its stdin) instead of a VERSIONS cell,
# so a Tor link handshake sees at once that this is not a relay.
#   tests/peers/tls-not-tor.sh start DIR   # writes DIR/env: NOTTOR_PORT, NOTTOR_CERT
#   tests/peers/tls-not-tor.sh stop DIR
# Also sourced by tests/peers/lib.sh (functions tls_not_tor_start / tls_not_tor_stop).

# shellcheck source=tests/peers/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

tls_not_tor_start() {
	local dir=$1 port try
	mkdir -p "$dir"
	rm -f "$dir/env"
	if ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$dir/key.pem" -out "$dir/cert.pem" -days 2 -subj "/CN=not-tor.test" \
		-addext "subjectAltName=DNS:not-tor.test,IP:127.0.0.1" >"$dir/log" 2>&1; then
		cat "$dir/log" >&2
		return 1
	fi
	for try in 1 2 3; do
		port=$(free_port 127.0.0.1) || return 1
		# -quiet: no banner, and stdin is data for the client, never s_server commands.
		# shellcheck disable=SC2016  # expanded by the inner shell
		start_daemon "$dir/pid" "$dir/log" bash -c \
			'yes "HTTP/1.0 400 Bad Request" | exec openssl s_server -quiet -accept "127.0.0.1:$0" -cert "$1" -key "$2"' \
			"$port" "$dir/cert.pem" "$dir/key.pem"
		if wait_port 127.0.0.1 "$port" 10 "$(cat "$dir/pid")"; then
			write_env "$dir/env" NOTTOR_PORT="$port" NOTTOR_CERT="$dir/cert.pem"
			return 0
		fi
		peer_log "openssl s_server on port $port did not come up (try $try):"
		tail -n 5 "$dir/log" >&2
		stop_daemon "$dir/pid"
	done
	return 1
}

tls_not_tor_stop() { stop_daemon "$1/pid"; }

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case "${1:-} $#" in
	"start 2") tls_not_tor_start "$2" ;;
	"stop 2") tls_not_tor_stop "$2" ;;
	*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
	esac
fi
