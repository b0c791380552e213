#!/usr/bin/env bash
# The real site behind the TLS interception tests: one nginx (a non-daemon child, prefix,
# config, pid, logs and temp dirs in DIR) serving a.test (also named localhost) and b.test
# with certificates from a test root and intermediate made here at every start. It listens
# on the same port at 127.0.0.1, [::1] (when there is IPv6 loopback) and 127.0.0.4, so that
# the middleboxes in front of it share that port on their own addresses — sslsplit at
# 127.0.0.2 (sslsplit.sh), mitmdump at 127.0.0.3 (mitmproxy.sh) — and a case chooses the
# path with --resolve NAME:PORT:ADDR while the pins stay for NAME:PORT. The SOCKS server
# (socks.sh) resolves "localhost" itself and so reaches this nginx directly.
#   tests/peers/nginx-intercept.sh start DIR   # writes DIR/env
#   tests/peers/nginx-intercept.sh stop DIR
# Also sourced by tests/peers/lib.sh (nginx_intercept_start / nginx_intercept_stop), and by
# the middlebox peers, which start it first (intercept_origin) when they come up before it.
#
# DIR/env: ICPT_PORT (the shared port), ICPT_CA (test root, PEM), ICPT_ROOT_PIN,
# ICPT_INT_PIN, ICPT_A_PIN, ICPT_B_PIN (SPKI pins, base64), ICPT_INT_CN (the intermediate's
# name, the leaves' issuer).

# shellcheck source=tests/peers/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

ICPT_INT_CN="Torready Test Intermediate CA"

# spki_pin PEM: the RFC 7469 pin of a certificate (base64 SHA-256 of its DER SPKI).
spki_pin() {
	openssl x509 -in "$1" -noout -pubkey | openssl pkey -pubin -outform der |
		openssl dgst -sha256 -binary | openssl base64 -A
}

# ni_certs DIR: test root -> intermediate -> leaves for a.test (+localhost) and b.test.
ni_certs() {
	local d=$1 h
	local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
	openssl req -x509 "${ec[@]}" -keyout "$d/root.key" -out "$d/root.pem" -days 30 \
		-subj "/O=Torready Tests/CN=Torready Test Root CA" \
		-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" &&
	openssl req -new "${ec[@]}" -keyout "$d/int.key" -out "$d/int.csr" \
		-subj "/O=Torready Tests/CN=$ICPT_INT_CN" &&
	printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n' >"$d/int.ext" &&
	openssl x509 -req -in "$d/int.csr" -CA "$d/root.pem" -CAkey "$d/root.key" -set_serial 0x1001 \
		-days 30 -out "$d/int.pem" -extfile "$d/int.ext" || return 1
	printf 'subjectAltName=DNS:a.test,DNS:localhost\nextendedKeyUsage=serverAuth\n' >"$d/a.ext"
	printf 'subjectAltName=DNS:b.test\nextendedKeyUsage=serverAuth\n' >"$d/b.ext"
	for h in a b; do
		openssl req -new "${ec[@]}" -keyout "$d/$h.key" -out "$d/$h.csr" -subj "/CN=$h.test" &&
		openssl x509 -req -in "$d/$h.csr" -CA "$d/int.pem" -CAkey "$d/int.key" \
			-set_serial "0x2$(printf %03d $((RANDOM % 1000)))" -days 20 -out "$d/$h.pem" \
			-extfile "$d/$h.ext" || return 1
		cat "$d/$h.pem" "$d/int.pem" >"$d/$h.chain.pem"
	done
}

# ni_conf DIR PORT: nginx.conf with both servers on every listening address.
ni_conf() {
	local d=$1 port=$2 addrs=("127.0.0.1:$2" "127.0.0.4:$2") a listen_a="" listen_b=""
	if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
		addrs+=("[::1]:$port")
	fi
	for a in "${addrs[@]}"; do
		listen_a+="listen $a ssl default_server; "
		listen_b+="listen $a ssl; "
	done
	{
		nginx_conf_head "$d" 64 text/plain
		cat <<EOF
	ssl_protocols TLSv1.2 TLSv1.3;
	server {
		$listen_a
		server_name a.test localhost;
		ssl_certificate $d/a.chain.pem;
		ssl_certificate_key $d/a.key;
		location / { return 200 "a.test\n"; }
	}
	server {
		$listen_b
		server_name b.test;
		ssl_certificate $d/b.chain.pem;
		ssl_certificate_key $d/b.key;
		location / { return 200 "b.test\n"; }
	}
}
EOF
	} >"$d/nginx.conf"
}

nginx_intercept_start() {
	local dir=$1 port try
	# A middlebox peer may have started it already (intercept_origin).
	if [ -s "$dir/env" ] && [ -f "$dir/pid" ] && group_alive "$(cat "$dir/pid")"; then
		return 0
	fi
	mkdir -p "$dir/tmp"
	rm -f "$dir/env"
	if ! ni_certs "$dir" >"$dir/log" 2>&1; then
		cat "$dir/log" >&2
		return 1
	fi
	for try in 1 2 3; do
		port=$(free_port 127.0.0.1) || return 1
		ni_conf "$dir" "$port"
		start_daemon "$dir/pid" "$dir/log" nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log"
		if wait_port 127.0.0.4 "$port" 10 "$(cat "$dir/pid")" && wait_port 127.0.0.1 "$port" 5; then
			write_env "$dir/env" ICPT_PORT="$port" ICPT_CA="$dir/root.pem" \
				ICPT_ROOT_PIN="$(spki_pin "$dir/root.pem")" ICPT_INT_PIN="$(spki_pin "$dir/int.pem")" \
				ICPT_A_PIN="$(spki_pin "$dir/a.pem")" ICPT_B_PIN="$(spki_pin "$dir/b.pem")" \
				ICPT_INT_CN="$ICPT_INT_CN"
			return 0
		fi
		peer_log "nginx (interception origin) on port $port did not come up (try $try):"
		tail -n 5 "$dir/logs/error.log" "$dir/log" >&2 2>/dev/null
		stop_daemon "$dir/pid"
	done
	return 1
}

nginx_intercept_stop() { stop_daemon "$1/pid"; }

# intercept_origin DIR: for a middlebox peer started in DIR, makes sure the origin runs in its
# sibling directory and sets ICPT_DIR and ICPT_PORT (no subshell: the daemon must stay a
# child of this shell so that stopping it can reap it).
intercept_origin() {
	ICPT_DIR="$(dirname "$1")/nginx-intercept"
	nginx_intercept_start "$ICPT_DIR" || return 1
	ICPT_PORT=$(sed -n "s/^ICPT_PORT='\(.*\)'$/\1/p" "$ICPT_DIR/env")
	[ -n "$ICPT_PORT" ]
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case "${1:-} $#" in
	"start 2") nginx_intercept_start "$2" ;;
	"stop 2") nginx_intercept_stop "$2" ;;
	*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
	esac
fi
