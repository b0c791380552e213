#!/usr/bin/env bash
# A SOCKS5 server standing in for Tor's SOCKS port as a second vantage point: microsocks on
# 127.0.0.1. It resolves names itself (socks5h), so "localhost" takes it straight to the
# interception origin (nginx-intercept.sh, which listens on 127.0.0.1 and [::1]) while the
# direct path of a case may be --resolve'd through a middlebox.
#   tests/peers/socks.sh start DIR   # writes DIR/env: SOCKS_PORT
#   tests/peers/socks.sh stop DIR
# Also sourced by tests/peers/lib.sh (functions socks_start / socks_stop).

# shellcheck source=tests/peers/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

socks_start() {
	local dir=$1 port try
	mkdir -p "$dir"
	rm -f "$dir/env"
	for try in 1 2 3; do
		port=$(free_port 127.0.0.1) || return 1
		start_daemon "$dir/pid" "$dir/log" microsocks -i 127.0.0.1 -p "$port"
		if wait_port 127.0.0.1 "$port" 10 "$(cat "$dir/pid")"; then
			write_env "$dir/env" SOCKS_PORT="$port"
			return 0
		fi
		peer_log "microsocks on port $port did not come up (try $try):"
		tail -n 5 "$dir/log" >&2
		stop_daemon "$dir/pid"
	done
	return 1
}

socks_stop() { stop_daemon "$1/pid"; }

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case "${1:-} $#" in
	"start 2") socks_start "$2" ;;
	"stop 2") socks_stop "$2" ;;
	*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
	esac
fi
