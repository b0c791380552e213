#!/usr/bin/env bash
# Mail submission servers for mail.tls: one Exim daemon (Debian's exim4-daemon-light, GnuTLS;
# foreground -bdf, config, spool and logs in DIR) with three listeners — STARTTLS offered,
# STARTTLS not offered, and implicit TLS on port 465 (an address of its own, picked at random
# in 127.0.0.0/8, since mail.tls chooses implicit TLS by that port number). The certificate is
# for mail.test, from a mail test CA made here at start.
# Why Exim and not OpenSMTPD: Debian 12's opensmtpd 6.8.0p2 cannot complete any TLS handshake
# with OpenSSL 3 ("EVP lib" / "missing private key" in its privsep signer; OpenSMTPD issues
# #1171, #1239), so it cannot serve STARTTLS here. Exim runs as root with exim_user=root so
# that it can read DIR below the test runner's private (mode 700) state directory.
#   tests/peers/exim.sh start DIR   # writes DIR/env
#   tests/peers/exim.sh stop DIR
# Also sourced by tests/peers/lib.sh (functions exim_start / exim_stop).
#
# DIR/env: SMTP_HOST (mail.test), SMTP_STARTTLS_PORT, SMTP_PLAIN_PORT (both on 127.0.0.1),
# SMTPS_ADDR (port 465 there), SMTP_CA (the mail test CA, PEM).

# shellcheck source=tests/peers/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

# exim_certs DIR: mail test CA -> mail.test.
exim_certs() {
	local d=$1
	local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
	openssl req -x509 "${ec[@]}" -keyout "$d/ca.key" -out "$d/ca.pem" -days 30 \
		-subj "/O=Torready Tests/CN=Torready Mail Test CA" \
		-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" &&
	openssl req -new "${ec[@]}" -keyout "$d/mail.key" -out "$d/mail.csr" -subj "/CN=mail.test" &&
	printf 'subjectAltName=DNS:mail.test\nextendedKeyUsage=serverAuth\n' >"$d/mail.ext" &&
	openssl x509 -req -in "$d/mail.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -set_serial 0x3001 \
		-days 20 -out "$d/mail.pem" -extfile "$d/mail.ext"
}

# exim_free_addr: a random 127.x.y.z where port 465 is free.
exim_free_addr() {
	local try addr
	for try in 1 2 3 4 5; do
		addr="127.$((RANDOM % 200 + 20)).$((RANDOM % 250 + 1)).$((RANDOM % 250 + 1))"
		if python3 -c 'import socket,sys; socket.socket().bind((sys.argv[1], 465))' "$addr" 2>/dev/null; then
			echo "$addr"
			return 0
		fi
	done
	return 1
}

exim_conf() {
	local d=$1 p1=$2 p2=$3 addr=$4
	cat >"$d/exim.conf" <<EOF
primary_hostname = mail.test
exim_user = root
exim_group = root
keep_environment =
spool_directory = $d/spool
log_file_path = $d/log/%slog
pid_file_path = $d/exim.pid
local_interfaces = <; 127.0.0.1.$p1 ; 127.0.0.1.$p2 ; $addr.465
tls_on_connect_ports = 465
tls_certificate = $d/mail.pem
tls_privatekey = $d/mail.key
tls_advertise_hosts = \${if eq{\$received_port}{$p2}{}{*}}
host_lookup =
rfc1413_hosts =
acl_smtp_rcpt = refuse_all
begin acl
refuse_all:
  deny
EOF
}

exim_start() {
	local dir=$1 p1 p2 addr try
	mkdir -p "$dir/spool" "$dir/log"
	rm -f "$dir/env"
	if ! exim_certs "$dir" >"$dir/out" 2>&1; then
		cat "$dir/out" >&2
		return 1
	fi
	for try in 1 2 3; do
		p1=$(free_port 127.0.0.1) && p2=$(free_port 127.0.0.1) && addr=$(exim_free_addr) || return 1
		[ "$p1" != "$p2" ] || continue
		exim_conf "$dir" "$p1" "$p2" "$addr"
		start_daemon "$dir/pid" "$dir/out" exim4 -C "$dir/exim.conf" -bdf
		if wait_port 127.0.0.1 "$p1" 10 "$(cat "$dir/pid")" && wait_port 127.0.0.1 "$p2" 5 &&
			wait_port "$addr" 465 5; then
			write_env "$dir/env" SMTP_HOST=mail.test SMTP_STARTTLS_PORT="$p1" SMTP_PLAIN_PORT="$p2" \
				SMTPS_ADDR="$addr" SMTP_CA="$dir/ca.pem"
			return 0
		fi
		peer_log "exim on ports $p1, $p2 and $addr:465 did not come up (try $try):"
		tail -n 5 "$dir/out" "$dir/log/mainlog" >&2 2>/dev/null
		stop_daemon "$dir/pid"
	done
	return 1
}

exim_stop() { stop_daemon "$1/pid"; }

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case "${1:-} $#" in
	"start 2") exim_start "$2" ;;
	"stop 2") exim_stop "$2" ;;
	*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
	esac
fi
