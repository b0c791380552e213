#!/usr/bin/env bash
# HTTPS sites done right and wrong, for the https.* probes: one nginx (a non-daemon child of
# this script, its prefix, config, pid, logs and temp dirs all in DIR) with one server block
# per case, each on its own loopback port. Certificates come from a test root and
# intermediate made here with openssl at every start, so dates stay relative to now.
# Names are never in /etc/hosts: cases map them with --resolve NAME:PORT:127.0.0.1.
#   tests/peers/nginx-https.sh start DIR   # writes DIR/env (HTTPS_* variables, listed below)
#   tests/peers/nginx-https.sh stop DIR
# Also sourced by tests/peers/lib.sh (functions nginx_https_start / nginx_https_stop).
#
# DIR/env: HTTPS_CA (test root, PEM), HTTPS_UNTRUSTED_CA (a second root nobody trusts),
# HTTPS_CA_BUNDLE (the system bundle plus the test root: "a machine that trusts the test
# CA"), HTTPS_BAD_BUNDLE (that plus the untrusted root: "an extra root was installed"),
# HTTPS_CLOSED_PORT (nothing listens), and HTTPS_<CASE>_PORT for each case below (host
# <case>.test; in the variable name dashes become underscores). Leaves live 40 days unless
# said otherwise (under every CA/B Forum limit up to 2029's 47 days).
#   valid        leaf+intermediate, TLS 1.2+1.3, HSTS 1 year + includeSubDomains, clean page
#   expired      not-after 30 days ago          notyet      not-before in 10 days
#   soon         5 days left of 40              short       6-day cert, 3 days left (fine)
#   longlife     250-day lifetime (over the 200-day limit from 2026-03-15)
#   wronghost    valid chain for other.test     selfsigned  self-signed leaf
#   untrusted    leaf + root of an untrusted CA incomplete  leaf only, no intermediate
#   sha1         leaf signed with SHA-1         weakkey     RSA-1024 leaf
#   tls10        TLS 1.0 only                   tls10plus   TLS 1.0 to 1.3
#   tls12        TLS 1.2 only
#   hsts-short   max-age=86400                  hsts-none   no HSTS header
#   hsts-dup     two HSTS headers               hsts-bad    max-age=abc
#   hsts-zero    max-age=0                      preload     2 years, includeSubDomains, preload
#   preload-noredir  preload header, but its http:// twin serves content
#   mixed-script page with an http:// script    mixed-image page with an http:// image
#   mixed-redirect  https redirect to the mixed-script page (a relative one)
# Plain-HTTP twins (HTTPS_HTTP_<CASE>_PORT):
#   valid        301 to https://valid.test:VALID/ (same host)
#   preload      301 to https://preload.test:PRELOAD/ (same host), with HSTS sent over http
#   other        301 to https://valid.test:VALID/ (another host first)
#   tohttp       301 to http://content.test:CONTENT/ (never https)
#   content      200 with a page, and an HSTS header over plain http (to be ignored)
#   viahttp      301 to http://valid.test:HTTP_VALID/ (insecure first hop, ends on https)
#   loop         302 to itself (too many redirects)
#   preload-noredir  200 with a page (no redirect)

# shellcheck source=tests/peers/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

NGINX_HTTPS_CASES="valid expired notyet soon short longlife wronghost selfsigned untrusted
incomplete sha1 weakkey tls10 tls10plus tls12 hsts-short hsts-none hsts-dup hsts-bad hsts-zero
preload preload-noredir mixed-script mixed-image mixed-redirect"
NGINX_HTTP_CASES="valid preload other tohttp content viahttp loop preload-noredir"

# nh_ts OFFSET: an openssl ca date (YYYYMMDDHHMMSSZ, UTC) OFFSET from now ("-30 days").
nh_ts() { date -u -d "$1" +%Y%m%d%H%M%SZ; }

# nh_ca_conf DIR CA: an `openssl ca` setup for the CA in DIR/CA (database, serial, config).
nh_ca_conf() {
	local d=$1/$2
	mkdir -p "$d/new"
	: >"$d/index.txt"
	echo 1000 >"$d/serial"
	cat >"$d/ca.cnf" <<EOF
[ ca ]
default_ca = this
[ this ]
database = $d/index.txt
new_certs_dir = $d/new
serial = $d/serial
default_md = sha256
policy = any
copy_extensions = copy
unique_subject = no
email_in_dn = no
[ any ]
commonName = supplied
[ leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ sub ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
EOF
}

# nh_key FILE [rsa BITS]: a P-256 key (fast), or RSA of BITS bits.
nh_key() {
	if [ "${2:-}" = rsa ]; then
		openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$3" -out "$1" 2>/dev/null
	else
		openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
	fi
}

# nh_root PKI NAME CN: a self-signed root CA in PKI/NAME.{key,pem} with its ca setup.
nh_root() {
	local pki=$1 name=$2 cn=$3
	nh_ca_conf "$pki" "$name"
	nh_key "$pki/$name.key" &&
		openssl req -new -x509 -config "$pki/$name/ca.cnf" -extensions root -key "$pki/$name.key" \
			-subj "/O=torready tests/CN=$cn" -days 400 -sha256 -out "$pki/$name.pem"
}

# nh_issue PKI CA OUT SUBJ_CN SAN START END EXT [MD] [KEYOPTS...]: OUT.{key,pem} signed by
# CA (a directory made by nh_root/nh_ca_conf, key and cert in PKI/CA.{key,pem}).
nh_issue() {
	local pki=$1 ca=$2 out=$3 cn=$4 san=$5 start=$6 end=$7 ext=$8 md=${9:-sha256}
	shift 9 2>/dev/null || shift $#
	nh_key "$out.key" "$@" &&
		openssl req -new -config "$pki/$ca/ca.cnf" -key "$out.key" -subj "/CN=$cn" \
			${san:+-addext "subjectAltName=$san"} -out "$out.csr" &&
		openssl ca -batch -notext -config "$pki/$ca/ca.cnf" -cert "$pki/$ca.pem" \
			-keyfile "$pki/$ca.key" -extensions "$ext" -md "$md" -startdate "$(nh_ts "$start")" \
			-enddate "$(nh_ts "$end")" -in "$out.csr" -out "$out.pem" 2>/dev/null &&
		rm -f "$out.csr"
}

# nh_leaf PKI NAME START END [MD] [KEYOPTS]: a leaf for NAME.test, by the intermediate.
nh_leaf() {
	local pki=$1 n=$2 s=$3 e=$4 md=${5:-sha256}
	shift 5 2>/dev/null || shift $#
	nh_issue "$pki" inter "$pki/$n" "$n.test" "DNS:$n.test" "$s" "$e" leaf "$md" "$@"
}

nh_make_pki() {
	local pki=$1 c
	mkdir -p "$pki"
	nh_root "$pki" root "torready Test Root CA" &&
		nh_root "$pki" badroot "torready Untrusted Root CA" &&
		nh_ca_conf "$pki" inter &&
		nh_issue "$pki" root "$pki/inter" "torready Test Intermediate CA" "" "-1 day" "+399 days" sub ||
		return 1
	for c in valid incomplete tls10 tls10plus tls12 hsts-short hsts-none hsts-dup hsts-bad \
		hsts-zero preload preload-noredir mixed-script mixed-image mixed-redirect; do
		nh_leaf "$pki" "$c" "-1 day" "+39 days" || return 1
	done
	nh_leaf "$pki" expired "-70 days" "-30 days" &&
		nh_leaf "$pki" notyet "+10 days" "+50 days" &&
		nh_leaf "$pki" soon "-35 days" "+5 days" &&
		nh_leaf "$pki" short "-3 days" "+3 days" &&
		nh_leaf "$pki" longlife "-1 day" "+249 days" &&
		nh_leaf "$pki" sha1 "-1 day" "+39 days" sha1 &&
		nh_leaf "$pki" weakkey "-1 day" "+39 days" sha256 rsa 1024 &&
		nh_issue "$pki" inter "$pki/wronghost" "other.test" "DNS:other.test" "-1 day" "+39 days" leaf &&
		nh_issue "$pki" badroot "$pki/untrusted" "untrusted.test" "DNS:untrusted.test" "-1 day" "+39 days" leaf &&
		nh_key "$pki/selfsigned.key" &&
		openssl req -new -x509 -config "$pki/root/ca.cnf" -extensions leaf -key "$pki/selfsigned.key" \
			-subj "/CN=selfsigned.test" -addext "subjectAltName=DNS:selfsigned.test" -days 40 \
			-out "$pki/selfsigned.pem" || return 1
}

# nh_chain PKI CASE: the certificate file nginx serves for CASE (leaf plus what it sends).
nh_chain() {
	local pki=$1 c=$2
	case $c in
	selfsigned) cat "$pki/selfsigned.pem" ;;
	incomplete) cat "$pki/incomplete.pem" ;;
	untrusted) cat "$pki/untrusted.pem" "$pki/badroot.pem" ;;
	*) cat "$pki/$c.pem" "$pki/inter.pem" ;;
	esac
}

# nh_page TITLE BODY: a small HTML page as an nginx string (single-quoted: no ' inside).
nh_page() {
	printf "'<!DOCTYPE html><html><head><title>%s</title></head><body>%s</body></html>'" "$1" "$2"
}

# nh_https_server CASE PORT PKI: one TLS server block.
nh_https_server() {
	local c=$1 port=$2 pki=$3 protocols="TLSv1.2 TLSv1.3" ciphers="HIGH:!aNULL" hsts body
	hsts="max-age=31536000; includeSubDomains"
	body=$(nh_page "$c" "<p>ok</p><img src=\"https://valid.test/logo.png\"><script src=\"/app.js\"></script>")
	case $c in
	tls10) protocols="TLSv1"; ciphers="DEFAULT:@SECLEVEL=0" ;;
	tls10plus) protocols="TLSv1 TLSv1.1 TLSv1.2 TLSv1.3"; ciphers="DEFAULT:@SECLEVEL=0" ;;
	tls12) protocols="TLSv1.2" ;;
	sha1 | weakkey) ciphers="DEFAULT:@SECLEVEL=0" ;;
	hsts-short) hsts="max-age=86400" ;;
	hsts-none | hsts-dup) hsts="" ;;
	hsts-bad) hsts="max-age=abc" ;;
	hsts-zero) hsts="max-age=0" ;;
	preload | preload-noredir) hsts="max-age=63072000; includeSubDomains; preload" ;;
	mixed-script) body=$(nh_page "$c" "<p>hi</p><script src=\"http://cdn.test/app.js\"></script><img src=\"https://valid.test/a.png\">") ;;
	mixed-image) body=$(nh_page "$c" "<p>hi</p><img src=\"http://cdn.test/cat.png\" alt=\"cat\">") ;;
	esac
	nh_chain "$pki" "$c" >"$pki/$c.served"
	cat <<EOF
    server {
        listen 127.0.0.1:$port ssl;
        server_name $c.test;
        ssl_certificate $pki/$c.served;
        ssl_certificate_key $pki/$c.key;
        ssl_protocols $protocols;
        ssl_ciphers $ciphers;
EOF
	[ -z "$hsts" ] || echo "        add_header Strict-Transport-Security \"$hsts\" always;"
	[ "$c" != hsts-dup ] || printf '        add_header Strict-Transport-Security "max-age=31536000" always;\n        add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;\n'
	if [ "$c" = mixed-redirect ]; then
		echo "        location = / { return 302 /page; }"
		body=$(nh_page "$c" "<p>hi</p><script src=\"http://cdn.test/app.js\"></script>")
	fi
	echo "        location / { return 200 $body; }"
	echo "    }"
}

# nh_http_server CASE PORT HTTPS_PORTS_ASSOC...: one plain-HTTP server block.
nh_http_server() {
	local c=$1 port=$2 action
	case $c in
	valid) action="return 301 https://valid.test:$NH_VALID/;" ;;
	preload) action="add_header Strict-Transport-Security \"max-age=63072000; includeSubDomains; preload\" always; return 301 https://preload.test:$NH_PRELOAD\$request_uri;" ;;
	other) action="return 301 https://valid.test:$NH_VALID/;" ;;
	tohttp) action="return 301 http://content.test:$NH_HTTP_CONTENT/;" ;;
	content | preload-noredir) action="add_header Strict-Transport-Security \"max-age=31536000\" always; return 200 $(nh_page http "<p>plain</p>");" ;;
	viahttp) action="return 301 http://valid.test:$NH_HTTP_VALID/;" ;;
	loop) action="return 302 http://loop.test:$port/;" ;;
	esac
	cat <<EOF
    server {
        listen 127.0.0.1:$port;
        server_name $c.test;
        location / { $action }
    }
EOF
}

# nh_free_ports N: N distinct free loopback ports, one a line (one python start, not N).
nh_free_ports() {
	python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print("\n".join(str(s.getsockname()[1]) for s in socks))
EOF
}

nh_var() { local v=${1//-/_}; echo "${v^^}"; }

nginx_https_start() {
	local dir=$1 pki c try envs=() conf ports n NH_VALID NH_PRELOAD NH_HTTP_CONTENT NH_HTTP_VALID
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	pki=$dir/pki
	rm -rf "$dir/env" "$pki"
	mkdir -p "$dir/logs" "$dir/tmp"
	if ! nh_make_pki "$pki" >"$dir/pki.log" 2>&1; then
		peer_log "nginx-https: making certificates failed:"
		tail -n 20 "$dir/pki.log" >&2
		return 1
	fi
	for try in 1 2 3; do
		envs=()
		conf=$dir/nginx.conf
		declare -A https_ports=() http_ports=()
		mapfile -t ports < <(nh_free_ports 64)
		n=0
		for c in $NGINX_HTTPS_CASES; do https_ports[$c]=${ports[n++]}; done
		for c in $NGINX_HTTP_CASES; do http_ports[$c]=${ports[n++]}; done
		NH_VALID=${https_ports[valid]} NH_PRELOAD=${https_ports[preload]}
		NH_HTTP_CONTENT=${http_ports[content]} NH_HTTP_VALID=${http_ports[valid]}
		{
			nginx_conf_head "$dir" 2048
			for c in $NGINX_HTTPS_CASES; do nh_https_server "$c" "${https_ports[$c]}" "$pki"; done
			for c in $NGINX_HTTP_CASES; do nh_http_server "$c" "${http_ports[$c]}"; done
			echo "}"
		} >"$conf"
		start_daemon "$dir/pid" "$dir/log" nginx -p "$dir" -c "$conf" -e "$dir/logs/error.log"
		if wait_port 127.0.0.1 "${http_ports[loop]}" 10 "$(cat "$dir/pid")"; then
			for c in $NGINX_HTTPS_CASES; do envs+=("HTTPS_$(nh_var "$c")_PORT=${https_ports[$c]}"); done
			for c in $NGINX_HTTP_CASES; do envs+=("HTTPS_HTTP_$(nh_var "$c")_PORT=${http_ports[$c]}"); done
			# "A machine with an extra root installed", without touching /etc: bundles.
			cat /etc/ssl/certs/ca-certificates.crt "$pki/root.pem" >"$pki/bundle.pem" 2>/dev/null ||
				cp "$pki/root.pem" "$pki/bundle.pem"
			cat "$pki/bundle.pem" "$pki/badroot.pem" >"$pki/bad-bundle.pem"
			# A store (for --store-root) where the test root is one of the Mozilla set:
			# the test CA playing a publicly trusted one, as https.cert's lifetime rule needs.
			mkdir -p "$pki/public-store/usr/share/ca-certificates/mozilla" "$pki/public-store/etc/ssl/certs"
			cp "$pki/root.pem" "$pki/public-store/usr/share/ca-certificates/mozilla/Test_Public_Root.crt"
			ln -sf /usr/share/ca-certificates/mozilla/Test_Public_Root.crt "$pki/public-store/etc/ssl/certs/Test_Public_Root.pem"
			cp "$pki/root.pem" "$pki/public-store/etc/ssl/certs/ca-certificates.crt"
			echo "mozilla/Test_Public_Root.crt" >"$pki/public-store/etc/ca-certificates.conf"
			write_env "$dir/env" HTTPS_CA="$pki/root.pem" HTTPS_UNTRUSTED_CA="$pki/badroot.pem" \
				HTTPS_CA_BUNDLE="$pki/bundle.pem" HTTPS_BAD_BUNDLE="$pki/bad-bundle.pem" \
				HTTPS_PUBLIC_STORE="$pki/public-store" \
				HTTPS_CLOSED_PORT="${ports[n]}" "${envs[@]}"
			return 0
		fi
		peer_log "nginx-https did not come up (try $try):"
		tail -n 5 "$dir/log" "$dir/logs/error.log" >&2 2>/dev/null
		stop_daemon "$dir/pid"
	done
	return 1
}

nginx_https_stop() {
	stop_daemon "$1/pid"
	rm -rf "$1/pki" "$1/tmp"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -euo pipefail
	case "${1:-} $#" in
	"start 2") nginx_https_start "$2" ;;
	"stop 2") nginx_https_stop "$2" ;;
	*) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
	esac
fi
