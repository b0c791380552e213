#!/usr/bin/env bash
# A TLS server whose certificates' names are hostile, for `pins capture`: `openssl s_server`
# on 127.0.0.1 with a throwaway CA and leaf made here. The CA's CN and O (the issuers a
# capture records) and the leaf's CN carry U+2028, U+2029 and U+0085 (line breaks to
# libyaml), double and single quotes, `#`, ESC and BEL (the CA's CN), and text that would be
# YAML keys (`tor: {binary: /bin/sh}`, `sites: [...]`, `pins: []`) if a line break ended a
# comment.
#   tests/peers/tls-names.sh start DIR   # writes DIR/env: NAMES_PORT, NAMES_CA (PEM of the CA),
#                                        # NAMES_LEAF_PIN, NAMES_CA_PIN (base64 SPKI SHA-256)
#   tests/peers/tls-names.sh stop DIR
# The names themselves cannot go in the env file (quotes): the cases spell them as JSON.
# Also sourced by tests/peers/lib.sh (functions tls_names_start / tls_names_stop).

# shellcheck source=tests/peers/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

tls_names_pin() {
	openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform der |
		openssl dgst -sha256 -binary | base64
}

tls_names_certs() {
	local dir=$1 ls=$'\xe2\x80\xa8' ps=$'\xe2\x80\xa9' nel=$'\xc2\x85' esc=$'\x1b' bel=$'\x07'
	# openssl's -subj: "/" separates fields, "\/" is a slash in a value; 64 characters at most.
	local ca_cn="Root \"CA\" #1${ls}tor: {binary: \\/bin\\/sh}${ps}# x${esc}[2J${bel}"
	local ca_o="Org${nel}sites: [\"https:\\/\\/i.test\\/\"] #'"
	local leaf_cn="leaf${ps}\"q\" #${ls}pins: []${nel}end"
	openssl req -x509 -utf8 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$dir/ca.key" -out "$dir/ca.pem" -days 2 -subj "/CN=$ca_cn/O=$ca_o" \
		-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" &&
	openssl req -utf8 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-keyout "$dir/leaf.key" -out "$dir/leaf.csr" -subj "/CN=$leaf_cn" &&
	printf 'subjectAltName=DNS:names.test\nbasicConstraints=CA:FALSE\n' >"$dir/leaf.ext" &&
	openssl x509 -req -in "$dir/leaf.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
		-CAcreateserial -days 2 -out "$dir/leaf.pem" -extfile "$dir/leaf.ext"
}

tls_names_start() {
	local dir=$1 port try
	mkdir -p "$dir"
	rm -f "$dir/env"
	if ! tls_names_certs "$dir" >"$dir/log" 2>&1; then
		cat "$dir/log" >&2
		return 1
	fi
	for try in 1 2 3; do
		port=$(free_port 127.0.0.1) || return 1
		# -www: answers a status page and never reads stdin (/dev/null here).
		start_daemon "$dir/pid" "$dir/log" openssl s_server -quiet -www -accept "127.0.0.1:$port" \
			-cert "$dir/leaf.pem" -key "$dir/leaf.key" -cert_chain "$dir/ca.pem"
		if wait_port 127.0.0.1 "$port" 10 "$(cat "$dir/pid")"; then
			write_env "$dir/env" NAMES_PORT="$port" NAMES_CA="$dir/ca.pem" \
				NAMES_LEAF_PIN="$(tls_names_pin "$dir/leaf.pem")" \
				NAMES_CA_PIN="$(tls_names_pin "$dir/ca.pem")"
			return 0
		fi
		peer_log "openssl s_server on port $port did not come up (try $try):"
		tail -n 5 "$dir/log" >&2
		stop_daemon "$dir/pid"
	done
	return 1
}

tls_names_stop() { stop_daemon "$1/pid"; }

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case "${1:-} $#" in
	"start 2") tls_names_start "$2" ;;
	"stop 2") tls_names_stop "$2" ;;
	*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
	esac
fi
