#!/usr/bin/env bash
# Front doors of Tor's pluggable transports, on loopback, for tor.bridge and tor.dirport:
# one nginx (non-daemon, prefix/config/logs/temp all in DIR) serving HTTPS on one port for
# several names, with a certificate from a test CA made here, routing on the Host header
# (so domain fronting works: TLS to front-a.test, "Host: broker.test"):
#   wt.test       /relay/HOST/PORT is proxied with its Upgrade headers to tor-helper.py's
#                 relay, which answers 101 and relays to HOST:PORT (a webtunnel server in
#                 front of a bridge's ORPort); every other path is 404
#   broker.test   200 "snowflake broker" (a snowflake broker behind a CDN)
#   meek.test     200 "I'm just a happy little web server." (meek-server's greeting)
#   front-a.test, front-b.test, meek-front.test: the fronts; asked for themselves, 404
# plus tor-helper.py's DirPort look-alikes (dir-ok, dir-503, dir-html).
# Names are never in /etc/hosts: cases map them (--resolve NAME:PORT:127.0.0.1).
#   tests/peers/tor-fronts.sh start DIR   # writes DIR/env: FRONTS_PORT, FRONTS_CA,
#                                         # TORHELPER_RELAY_PORT, TORHELPER_DIR_OK_PORT,
#                                         # TORHELPER_DIR_503_PORT, TORHELPER_DIR_HTML_PORT
#   tests/peers/tor-fronts.sh stop DIR
# Also sourced by tests/peers/lib.sh (functions tor_fronts_start / tor_fronts_stop).

# shellcheck source=tests/peers/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

TOR_FRONTS_NAMES="wt.test broker.test meek.test front-a.test front-b.test meek-front.test"

# tor_fronts_pki DIR: DIR/ca.pem (a test root) and DIR/leaf.{pem,key} for every name above.
tor_fronts_pki() {
	local d=$1 san="" n
	for n in $TOR_FRONTS_NAMES; do san="$san${san:+,}DNS:$n"; done
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$d/ca.key" -out "$d/ca.pem" -days 30 -subj "/O=torready tests/CN=torready Fronts Test CA" \
		-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" &&
		openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
			-keyout "$d/leaf.key" -out "$d/leaf.csr" -subj "/CN=front-a.test" &&
		printf 'subjectAltName=%s\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n' "$san" \
			>"$d/leaf.ext" &&
		openssl x509 -req -in "$d/leaf.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
			-days 20 -sha256 -extfile "$d/leaf.ext" -out "$d/leaf.pem" &&
		rm -f "$d/leaf.csr" "$d/leaf.ext" "$d/ca.srl"
}

# tor_fronts_conf DIR PORT RELAY_PORT: nginx.conf on stdout.
tor_fronts_conf() {
	local d=$1 port=$2 relay=$3
	nginx_conf_head "$d" 512 text/plain
	cat <<EOF
    ssl_certificate $d/leaf.pem;
    ssl_certificate_key $d/leaf.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    server {
        listen 127.0.0.1:$port ssl default_server;
        server_name front-a.test front-b.test meek-front.test;
        location / { return 404 "no such site here\n"; }
    }
    server {
        listen 127.0.0.1:$port ssl;
        server_name wt.test;
        location /relay/ {
            proxy_pass http://127.0.0.1:$relay;
            proxy_http_version 1.1;
            proxy_set_header Upgrade \$http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_buffering off;
            proxy_read_timeout 300s;
        }
        location / { return 404 "not found\n"; }
    }
    server {
        listen 127.0.0.1:$port ssl;
        server_name broker.test;
        location / { return 200 "snowflake broker\n"; }
    }
    server {
        listen 127.0.0.1:$port ssl;
        server_name meek.test;
        location / { return 200 "I'm just a happy little web server.\n"; }
    }
}
EOF
}

tor_fronts_start() {
	local dir=$1 try port relay pg
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	rm -f "$dir/env" "$dir/helper.env"
	mkdir -p "$dir/logs" "$dir/tmp"
	if ! tor_fronts_pki "$dir" >"$dir/pki.log" 2>&1; then
		peer_log "tor-fronts: making certificates failed:"
		tail -n 10 "$dir/pki.log" >&2
		return 1
	fi
	start_daemon "$dir/helper.pid" "$dir/helper.log" python3 "$PEERS_LIB_DIR/tor-helper.py" \
		--env "$dir/helper.env" relay dir-ok dir-503 dir-html
	if ! wait_file "$dir/helper.env" 10 "$(cat "$dir/helper.pid")"; then
		cat "$dir/helper.log" >&2
		tor_fronts_stop "$dir"
		return 1
	fi
	relay=$(sed -n "s/^TORHELPER_RELAY_PORT='\([0-9]*\)'$/\1/p" "$dir/helper.env")
	for try in 1 2 3; do
		port=$(free_port 127.0.0.1) || return 1
		tor_fronts_conf "$dir" "$port" "$relay" >"$dir/nginx.conf"
		start_daemon "$dir/pid" "$dir/log" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log"
		pg=$(cat "$dir/pid")
		if wait_port 127.0.0.1 "$port" 10 "$pg"; then
			write_env "$dir/env.tmp" FRONTS_PORT="$port" FRONTS_CA="$dir/ca.pem" &&
				cat "$dir/helper.env" >>"$dir/env.tmp" && mv "$dir/env.tmp" "$dir/env"
			return 0
		fi
		peer_log "tor-fronts: nginx did not come up (try $try):"
		tail -n 5 "$dir/log" "$dir/logs/error.log" >&2 2>/dev/null
		stop_daemon "$dir/pid"
	done
	tor_fronts_stop "$dir"
	return 1
}

tor_fronts_stop() {
	stop_daemon "$1/pid"
	stop_daemon "$1/helper.pid"
	rm -rf "$1/tmp" "$1/ca.key" "$1/leaf.key"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case "${1:-} $#" in
	"start 2") tor_fronts_start "$2" ;;
	"stop 2") tor_fronts_stop "$2" ;;
	*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
	esac
fi
