#!/usr/bin/env bash
# A second, differently-behaving interception proxy: mitmdump (Debian's mitmproxy) in
# reverse mode at 127.0.0.3 on the interception origin's port (nginx-intercept.sh), with its
# own confdir (and so its own fresh "mitmproxy" CA) in DIR. mitmproxy gives every forged leaf
# its CA's own key, and sends the leaf alone. Upstream is the origin's 127.0.0.4 address:
# mitmproxy refuses to forward to 127.0.0.1 on its own listening port (a loop guard).
#   tests/peers/mitmproxy.sh start DIR   # writes DIR/env: MITM_ADDR, MITM_CA
#   tests/peers/mitmproxy.sh stop DIR
# Also sourced by tests/peers/lib.sh (functions mitmproxy_start / mitmproxy_stop).

PEERS_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/peers/lib.sh
source "$PEERS_HERE/lib.sh"
# shellcheck source=tests/peers/nginx-intercept.sh
source "$PEERS_HERE/nginx-intercept.sh"

MITM_ADDR=127.0.0.3

mitmproxy_start() {
	local dir=$1
	mkdir -p "$dir/conf"
	rm -f "$dir/env"
	intercept_origin "$dir" || return 1
	start_daemon "$dir/pid" "$dir/log" mitmdump --set confdir="$dir/conf" \
		--mode "reverse:https://127.0.0.4:$ICPT_PORT" --ssl-insecure \
		--listen-host "$MITM_ADDR" --listen-port "$ICPT_PORT" -q
	if ! wait_port "$MITM_ADDR" "$ICPT_PORT" 30 "$(cat "$dir/pid")" ||
		! wait_file "$dir/conf/mitmproxy-ca-cert.pem" 5 "$(cat "$dir/pid")"; then
		peer_log "mitmdump on $MITM_ADDR:$ICPT_PORT did not come up:"
		tail -n 5 "$dir/log" >&2
		stop_daemon "$dir/pid"
		return 1
	fi
	write_env "$dir/env" MITM_ADDR="$MITM_ADDR" MITM_CA="$dir/conf/mitmproxy-ca-cert.pem"
}

mitmproxy_stop() { stop_daemon "$1/pid"; }

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case "${1:-} $#" in
	"start 2") mitmproxy_start "$2" ;;
	"stop 2") mitmproxy_stop "$2"; nginx_intercept_stop "$(dirname "$2")/nginx-intercept" ;;
	*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
	esac
fi
