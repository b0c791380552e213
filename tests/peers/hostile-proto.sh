#!/usr/bin/env bash
# Misbehaving peers that speak a protocol first (tests/peers/hostile.py): TLS servers that
# break the Tor link handshake from inside (a CERTS cell claiming 65,535 bytes, 100
# certificates, endless padding, a drip), TLS handshakes cut in the middle, HTTP(S) servers
# with endless headers, redirect loops, a 1 GiB page and slow headers, and fake pluggable
# transports whose SOCKS port answers junk or whose stdout breaks the PT protocol.
#   tests/peers/hostile-proto.sh start DIR   # writes DIR/env (below)
#   tests/peers/hostile-proto.sh stop DIR
# DIR/env: HOSTILE_PROTO_HOST; HOSTILE_PROTO_CERT (the TLS modes' self-signed certificate
# for hostile.test and 127.0.0.1, usable as a CA file); HOSTILE_<MODE>_PORT for every mode
# below, dashes as underscores (HOSTILE_TLS_CERTS_HUGE_PORT, HOSTILE_HTTPS_HUGE_PORT, ...);
# HOSTILE_PT_<MODE>, an executable running hostile.py --pt MODE (HOSTILE_PT_SOCKS_GARBAGE...).
# Also sourced by tests/peers/lib.sh (functions hostile_proto_start / hostile_proto_stop).

# shellcheck source=tests/peers/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

HOSTILE_PROTO_MODES="tls-silent tls-garbage tls-certs-huge tls-certs-many tls-padding tls-drip
	tls-close-mid tls-reset-mid
	http-endless-header http-redirect-loop http-huge http-slow-headers
	https-endless-header https-redirect-loop https-huge https-slow-headers"
HOSTILE_PROTO_PTS="socks-garbage socks-silent no-done version-error stdout-flood"

hostile_proto_start() {
	local dir=$1 mode var vars=() py
	py=$(command -v python3) || return 1
	mkdir -p "$dir"
	rm -f "$dir/env" "$dir/listeners.env"
	# A self-signed certificate for hostile.test that a client can be told to trust (it is
	# its own CA): the HTTPS probes then get past verification to the misbehaviour itself.
	if ! openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$dir/key.pem" -out "$dir/cert.pem" -days 2 -subj "/CN=hostile.test" \
		-addext "subjectAltName=DNS:hostile.test,IP:127.0.0.1" \
		-addext "basicConstraints=critical,CA:TRUE" >"$dir/log" 2>&1; then
		cat "$dir/log" >&2
		return 1
	fi
	# shellcheck disable=SC2086  # one word per mode
	start_daemon "$dir/pid" "$dir/log" "$py" "$PEERS_LIB_DIR/hostile.py" \
		--cert "$dir/cert.pem" --key "$dir/key.pem" --env "$dir/listeners.env" $HOSTILE_PROTO_MODES
	if ! wait_file "$dir/listeners.env" 20 "$(cat "$dir/pid")"; then
		cat "$dir/log" >&2
		hostile_proto_stop "$dir"
		return 1
	fi
	# A PT is started without arguments: one wrapper script per mode.
	for mode in $HOSTILE_PROTO_PTS; do
		var=HOSTILE_PT_$(tr 'a-z-' 'A-Z_' <<<"$mode")
		printf '#!/bin/sh\nexec %s %s --pt %s\n' "$py" "$PEERS_LIB_DIR/hostile.py" "$mode" \
			>"$dir/pt-$mode"
		chmod 755 "$dir/pt-$mode"
		vars+=("$var=$dir/pt-$mode")
	done
	write_env "$dir/env.tmp2" HOSTILE_PROTO_HOST=127.0.0.1 HOSTILE_PROTO_CERT="$dir/cert.pem" \
		"${vars[@]}" &&
		sed '/^HOSTILE_HOST=/d' "$dir/listeners.env" >>"$dir/env.tmp2" &&
		mv "$dir/env.tmp2" "$dir/env"
}

hostile_proto_stop() { stop_daemon "$1/pid"; }

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case "${1:-} $#" in
	"start 2") hostile_proto_start "$2" ;;
	"stop 2") hostile_proto_stop "$2" ;;
	*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
	esac
fi
