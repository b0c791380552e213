#!/usr/bin/env bash
# A captive portal, for the scenarios: one nginx answering every name. HTTPS on one port with
# the portal's own self-signed certificate ("Campus Guest WiFi", for every name — no browser
# trusts it), every request redirected to the login page; plain HTTP on another port, every
# request redirected (302) to http://portal.test:PORT/login, which answers 200 with a form.
# Point a run's names at 127.0.0.1 on these ports and everything lands on the portal.
#   tests/peers/captive-portal.sh start DIR   # writes DIR/env: PORTAL_HTTPS_PORT,
#                                             #   PORTAL_HTTP_PORT, PORTAL_CERT, PORTAL_CA_NAME
#   tests/peers/captive-portal.sh stop DIR
# Also sourced by tests/peers/lib.sh (functions captive_portal_start / captive_portal_stop).

# shellcheck source=tests/peers/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

PORTAL_CA_NAME="Campus Guest WiFi"

captive_portal_start() {
	local dir=$1 https http try
	mkdir -p "$dir/logs" "$dir/tmp"
	rm -f "$dir/env"
	if ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$dir/key.pem" -out "$dir/cert.pem" -days 30 -subj "/O=Campus IT/CN=$PORTAL_CA_NAME" \
		-addext "subjectAltName=DNS:portal.test" >"$dir/log" 2>&1; then
		cat "$dir/log" >&2
		return 1
	fi
	for try in 1 2 3; do
		https=$(free_port 127.0.0.1) && http=$(free_port 127.0.0.1) || return 1
		{
			nginx_conf_head "$dir" 512
			cat <<CONF
    server {
        listen 127.0.0.1:$https ssl default_server;
        server_name _;
        ssl_certificate $dir/cert.pem;
        ssl_certificate_key $dir/key.pem;
        location / { return 302 http://portal.test:$http/login; }
    }
    server {
        listen 127.0.0.1:$http default_server;
        server_name _;
        location = /login { return 200 "<!doctype html><title>Guest WiFi</title><form method=post><input name=code><button>Log in</button></form>\n"; }
        location / { return 302 http://portal.test:$http/login; }
    }
}
CONF
		} >"$dir/nginx.conf"
		start_daemon "$dir/pid" "$dir/log" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log"
		if wait_port 127.0.0.1 "$https" 10 "$(cat "$dir/pid")" && wait_port 127.0.0.1 "$http" 10 "$(cat "$dir/pid")"; then
			write_env "$dir/env" PORTAL_HTTPS_PORT="$https" PORTAL_HTTP_PORT="$http" \
				PORTAL_CERT="$dir/cert.pem" PORTAL_CA_NAME="$PORTAL_CA_NAME"
			return 0
		fi
		peer_log "captive portal did not come up (try $try):"
		tail -n 5 "$dir/log" "$dir/logs/error.log" >&2 2>/dev/null
		stop_daemon "$dir/pid"
	done
	return 1
}

captive_portal_stop() { stop_daemon "$1/pid"; rm -rf "$1/tmp"; }

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case "${1:-} $#" in
	"start 2") captive_portal_start "$2" ;;
	"stop 2") captive_portal_stop "$2" ;;
	*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
	esac
fi
