#!/usr/bin/env bash
# An HTTPS inspection box for the tests: sslsplit in static-destination mode (foreground,
# no -d) at 127.0.0.2 on the interception origin's port (nginx-intercept.sh), re-signing
# every site with its own "Campus Inspection CA" made here at start — as a campus middlebox
# does. It reuses one leaf key for every site it forges, as sslsplit always does.
# Also builds a fake trust store (DIR/store, for --store-root) in which that CA is installed
# as a local addition beside two roots of the Mozilla set: the machine of someone whose IT
# department installed the inspection CA.
#   tests/peers/sslsplit.sh start DIR   # writes DIR/env
#   tests/peers/sslsplit.sh stop DIR
# Also sourced by tests/peers/lib.sh (functions sslsplit_start / sslsplit_stop).
#
# DIR/env: SSLSPLIT_ADDR (127.0.0.2; port = ICPT_PORT), SSLSPLIT_CA (PEM), SSLSPLIT_CA_PIN,
# SSLSPLIT_CA_NAME, SSLSPLIT_STORE (the fake store root), SSLSPLIT_LOG (its connect log).

PEERS_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=tests/peers/lib.sh
source "$PEERS_HERE/lib.sh"
# shellcheck source=tests/peers/nginx-intercept.sh
source "$PEERS_HERE/nginx-intercept.sh"

SSLSPLIT_ADDR=127.0.0.2
SSLSPLIT_CA_NAME="Campus Inspection CA"

# sslsplit_store DIR: DIR/store laid out like Debian's ca-certificates, links included.
sslsplit_store() {
	local s=$1/store f n=0
	mkdir -p "$s/usr/share/ca-certificates/mozilla" "$s/usr/local/share/ca-certificates" "$s/etc/ssl/certs"
	for f in /usr/share/ca-certificates/mozilla/*.crt; do
		[ -f "$f" ] || continue
		cp "$f" "$s/usr/share/ca-certificates/mozilla/"
		ln -s "/usr/share/ca-certificates/mozilla/${f##*/}" "$s/etc/ssl/certs/${f##*/}"
		n=$((n + 1))
		[ "$n" -lt 2 ] || break
	done
	cp "$1/ca.pem" "$s/usr/local/share/ca-certificates/campus-inspection.crt"
	ln -s /usr/local/share/ca-certificates/campus-inspection.crt "$s/etc/ssl/certs/campus-inspection.pem"
	cat "$s"/usr/share/ca-certificates/mozilla/*.crt "$1/ca.pem" >"$s/etc/ssl/certs/ca-certificates.crt"
	echo "mozilla/" >"$s/etc/ca-certificates.conf"
}

# sslsplit resolves even numeric addresses with AI_ADDRCONFIG, and glibc then finds no IPv4
# in a namespace whose only address is 127.0.0.1 (that one is not counted): "Cannot resolve
# address". In run-all's private namespace, lo gets SSLSPLIT_ADDR/32 too while sslsplit
# starts (it resolves once, at start), and loses it again: no route changes either way,
# all of 127.0.0.0/8 is local on lo. Sets SSLSPLIT_ADDED when it added the address.
sslsplit_addrconfig() {
	SSLSPLIT_ADDED=
	[ -n "${TORREADY_IN_NETNS:-}" ] || return 0
	if ! ip -4 -o addr show | grep -v ' 127\.0\.0\.1/' | grep -q ' inet '; then
		ip addr add "$SSLSPLIT_ADDR/32" dev lo 2>/dev/null && SSLSPLIT_ADDED=1
	fi
	return 0
}

sslsplit_addrconfig_undo() {
	if [ -n "$SSLSPLIT_ADDED" ]; then ip addr del "$SSLSPLIT_ADDR/32" dev lo 2>/dev/null || true; fi
}

sslsplit_start() {
	local dir=$1
	mkdir -p "$dir"
	rm -rf "$dir/env" "$dir/store"
	intercept_origin "$dir" || return 1
	sslsplit_addrconfig
	if ! openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/ca.key" -out "$dir/ca.pem" -days 30 \
		-subj "/O=Example Campus IT/CN=$SSLSPLIT_CA_NAME" -addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" >"$dir/log" 2>&1; then
		cat "$dir/log" >&2
		return 1
	fi
	sslsplit_store "$dir"
	start_daemon "$dir/pid" "$dir/log" sslsplit -k "$dir/ca.key" -c "$dir/ca.pem" -l "$dir/connect.log" \
		ssl "$SSLSPLIT_ADDR" "$ICPT_PORT" 127.0.0.1 "$ICPT_PORT"
	if ! wait_port "$SSLSPLIT_ADDR" "$ICPT_PORT" 10 "$(cat "$dir/pid")"; then
		sslsplit_addrconfig_undo
		peer_log "sslsplit on $SSLSPLIT_ADDR:$ICPT_PORT did not come up:"
		tail -n 5 "$dir/log" >&2
		stop_daemon "$dir/pid"
		return 1
	fi
	sslsplit_addrconfig_undo
	write_env "$dir/env" SSLSPLIT_ADDR="$SSLSPLIT_ADDR" SSLSPLIT_CA="$dir/ca.pem" \
		SSLSPLIT_CA_PIN="$(spki_pin "$dir/ca.pem")" SSLSPLIT_CA_NAME="$SSLSPLIT_CA_NAME" \
		SSLSPLIT_STORE="$dir/store" SSLSPLIT_LOG="$dir/connect.log"
}

sslsplit_stop() { stop_daemon "$1/pid"; }

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case "${1:-} $#" in
	"start 2") sslsplit_start "$2" ;;
	"stop 2") sslsplit_stop "$2"; nginx_intercept_stop "$(dirname "$2")/nginx-intercept" ;;
	*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
	esac
fi
