#!/usr/bin/env bash
# HTTPS posture benchmark: torready's whole HTTPS run (--only https: redirect, HSTS, preload,
# TLS versions, certificate, mixed content) over N loopback sites (default 500) against a
# sequential curl loop making the same requests, side by side in one invocation; prints the
# median of BENCH_RUNS runs of each (default 3) and the ratio. Target: >= 10x.
#   bench/https_posture.sh            (TORREADY=path/to/torready, BENCH_SITES, BENCH_RUNS)
# The sites: one nginx (non-daemon child of this script, everything in a temp dir) with 50
# HTTPS ports and 50 plain-HTTP ports, N names spread over them (sNNN.bench.test, mapped with
# --resolve), one wildcard certificate from a CA made here, HSTS, a redirect from each http://
# twin to its https:// site on the same host, and a small page with one http:// image.
# Per site the curl loops make 7 requests: the http:// twin, the https:// redirect target,
# the https:// page, and one handshake each with TLS 1.0, 1.1, 1.2 and 1.3 only — what
# torready needs to know. (torready itself makes 5: the redirect target is the page it
# fetches anyway, and that connection answers for the TLS version it negotiated.) Two
# baselines, sites one after another: the plain loop, one curl process per request (the
# target's figure), and a tighter one, one curl process per site (--next between requests).
# BENCH_TORREADY_ONLY=1 runs torready alone (no curl loops: make bench's scale part, 5,000
# sites) and prints its peak RSS too; BENCH_TIMEOUT is its --timeout (default 120).
# Loopback only; everything started is stopped and removed at the end, also on ^C.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TORREADY=${TORREADY:-$REPO/torready}
SITES=${BENCH_SITES:-500}
RUNS=${BENCH_RUNS:-3}
TIMEOUT=${BENCH_TIMEOUT:-120}
ONLY_TORREADY=${BENCH_TORREADY_ONLY:-0}
PORTS=50
TMP=$(mktemp -d "${TMPDIR:-/tmp}/https-posture.XXXXXX")
NGINX_PID=

cleanup() {
	if [ -n "$NGINX_PID" ]; then
		kill -TERM "$NGINX_PID" 2>/dev/null || true
		wait "$NGINX_PID" 2>/dev/null || true
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf '  %-38s %s\n' "$1" "$2"; }

for tool in nginx openssl curl python3; do
	command -v "$tool" >/dev/null || { say "https_posture" "skipped: $tool is not installed"; exit 0; }
done
[ -x "$TORREADY" ] || { say "https_posture" "no torready binary at $TORREADY (make first)"; exit 1; }

# ---------------------------------------------------------------- certificates
make_pki() {
	local d=$TMP/pki
	mkdir -p "$d"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/ca.key" \
		-out "$d/ca.pem" -days 30 -subj "/CN=bench root" \
		-addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign" 2>/dev/null
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$d/site.key" \
		-out "$d/site.csr" -subj "/CN=*.bench.test" 2>/dev/null
	printf 'subjectAltName=DNS:*.bench.test\nbasicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$d/ext"
	openssl x509 -req -in "$d/site.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial \
		-days 30 -sha256 -extfile "$d/ext" -out "$d/site.pem" 2>/dev/null
}

# ---------------------------------------------------------------- nginx
free_ports() {
	python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

page() {
	local imgs="" i
	for i in $(seq 1 20); do imgs+="<img src=\\\"https://static.bench.test/$i.png\\\">"; done
	printf '"<!DOCTYPE html><html><head><title>bench</title><link rel=\\"stylesheet\\" href=\\"/s.css\\"></head><body>%s<img src=\\"http://old.bench.test/x.png\\"><script src=\\"/app.js\\"></script></body></html>"' "$imgs"
}

start_nginx() {
	local conf=$TMP/nginx.conf i body
	# One call for both sets: two calls could hand out the same port twice (the first
	# call's sockets are closed by then), and an HTTP port that is also an HTTPS port
	# answers 400 instead of redirecting.
	local all
	read -r -a all <<<"$(free_ports $((2 * PORTS)))"
	HTTPS_PORTS=("${all[@]:0:PORTS}")
	HTTP_PORTS=("${all[@]:PORTS}")
	body=$(page)
	mkdir -p "$TMP/logs" "$TMP/tmp"
	{
		[ "$(id -u)" != 0 ] || echo "user root;"
		cat <<EOF
daemon off;
worker_processes 2;
worker_rlimit_nofile 16384;
pid $TMP/nginx.pid;
error_log $TMP/logs/error.log crit;
events { worker_connections 8192; }
http {
    access_log off;
    default_type text/html;
    client_body_temp_path $TMP/tmp/body;
    proxy_temp_path $TMP/tmp/proxy;
    fastcgi_temp_path $TMP/tmp/fastcgi;
    uwsgi_temp_path $TMP/tmp/uwsgi;
    scgi_temp_path $TMP/tmp/scgi;
    ssl_certificate $TMP/pki/site.pem;
    ssl_certificate_key $TMP/pki/site.key;
    ssl_protocols TLSv1.2 TLSv1.3;
EOF
		for i in $(seq 0 $((PORTS - 1))); do
			cat <<EOF
    server {
        listen 127.0.0.1:${HTTPS_PORTS[i]} ssl;
        server_name *.bench.test;
        add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
        location / { return 200 $body; }
    }
    server {
        listen 127.0.0.1:${HTTP_PORTS[i]};
        server_name *.bench.test;
        location / { return 301 https://\$host:${HTTPS_PORTS[i]}\$request_uri; }
    }
EOF
		done
		echo "}"
	} >"$conf"
	nginx -p "$TMP" -c "$conf" -e "$TMP/logs/error.log" </dev/null >"$TMP/logs/out" 2>&1 &
	NGINX_PID=$!
	for _ in $(seq 1 100); do
		if curl -s -o /dev/null "http://127.0.0.1:${HTTP_PORTS[PORTS - 1]}/"; then return 0; fi
		kill -0 "$NGINX_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "nginx did not start:" >&2
	cat "$TMP/logs/out" "$TMP/logs/error.log" >&2 || true
	return 1
}

# ---------------------------------------------------------------- the sites
# Site k: sKKKK.bench.test on HTTPS port k % 50 and HTTP port k % 50.
write_targets() {
	local k name hp p
	{
		echo "sites:"
		for k in $(seq 0 $((SITES - 1))); do
			name=$(printf 's%04d.bench.test' "$k")
			hp=${HTTPS_PORTS[k % PORTS]}
			p=${HTTP_PORTS[k % PORTS]}
			echo "  - https: https://$name:$hp/"
			echo "    http: http://$name:$p/"
		done
		echo "tls:"
		echo "  cafile: $TMP/pki/ca.pem"
		echo "  resolve:"
		for k in $(seq 0 $((SITES - 1))); do
			name=$(printf 's%04d.bench.test' "$k")
			echo "    - \"$name:${HTTPS_PORTS[k % PORTS]}:127.0.0.1\""
			echo "    - \"$name:${HTTP_PORTS[k % PORTS]}:127.0.0.1\""
		done
	} >"$TMP/targets.yaml"
}

# One curl config per site: the same 7 requests torready makes, in one process.
write_curl_configs() {
	local k name hp p v cfg
	mkdir -p "$TMP/curl"
	for k in $(seq 0 $((SITES - 1))); do
		name=$(printf 's%04d.bench.test' "$k")
		hp=${HTTPS_PORTS[k % PORTS]}
		p=${HTTP_PORTS[k % PORTS]}
		cfg=$TMP/curl/$k.cfg
		{
			echo "resolve = \"$name:$hp:127.0.0.1\""
			echo "resolve = \"$name:$p:127.0.0.1\""
			echo "url = \"http://$name:$p/\""
			echo "output = /dev/null"
			echo "next"
			for _ in 1 2; do
				echo "resolve = \"$name:$hp:127.0.0.1\""
				echo "cacert = \"$TMP/pki/ca.pem\""
				echo "url = \"https://$name:$hp/\""
				echo "output = /dev/null"
				echo "next"
			done
			for v in 1.0 1.1 1.2 1.3; do
				echo "resolve = \"$name:$hp:127.0.0.1\""
				echo "insecure"
				echo "tlsv$v"
				echo "tls-max = $v"
				echo "ciphers = \"DEFAULT:@SECLEVEL=0\""
				echo "head"
				echo "url = \"https://$name:$hp/\""
				echo "output = /dev/null"
				[ "$v" = 1.3 ] || echo "next"
			done
		} >"$cfg"
	done
}

now() { date +%s.%N; }

run_torready() {
	local t0 t1
	t0=$(now)
	/usr/bin/time -f "%M" -o "$TMP/rss" "$TORREADY" probe --no-defaults --only https \
		--targets "$TMP/targets.yaml" --timeout "$TIMEOUT" \
		--json "$TMP/results.json" >/dev/null 2>"$TMP/torready.err" || true
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}

run_curl_per_site() {
	local t0 t1 k
	t0=$(now)
	for k in $(seq 0 $((SITES - 1))); do
		curl -s -K "$TMP/curl/$k.cfg" >/dev/null 2>&1 || true
	done
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}

run_curl_per_request() {
	local t0 t1 k name hp p v r
	t0=$(now)
	for k in $(seq 0 $((SITES - 1))); do
		name=$(printf 's%04d.bench.test' "$k")
		hp=${HTTPS_PORTS[k % PORTS]}
		p=${HTTP_PORTS[k % PORTS]}
		r=(--resolve "$name:$hp:127.0.0.1" --resolve "$name:$p:127.0.0.1")
		curl -s -o /dev/null "${r[@]}" "http://$name:$p/" || true
		curl -s -o /dev/null "${r[@]}" --cacert "$TMP/pki/ca.pem" "https://$name:$hp/" || true
		curl -s -o /dev/null "${r[@]}" --cacert "$TMP/pki/ca.pem" "https://$name:$hp/" || true
		for v in 1.0 1.1 1.2 1.3; do
			curl -s -o /dev/null -k -I "${r[@]}" "--tlsv$v" --tls-max "$v" --ciphers "DEFAULT:@SECLEVEL=0" \
				"https://$name:$hp/" || true
		done
	done
	t1=$(now)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# The results must be real verdicts, not a run that gave up: count them.
check_results() {
	python3 - "$TMP/results.json" "$SITES" <<'EOF'
import collections, json, sys
doc = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
c = collections.Counter((r["probe"], r["status"], r["code"]) for r in doc["results"])
want = {("https.redirect", "pass", "ok"), ("https.hsts", "pass", "ok"), ("https.tls", "pass", "ok"),
        ("https.cert", "pass", "ok"), ("https.mixed", "warn", "mixed_passive"),
        ("https.preload", "skip", "preload_missing")}
bad = {k: v for k, v in c.items() if k not in want}
good = all(c[k] == n for k in want)
print(("all %d sites judged as expected" % n) if good and not bad else
      "unexpected verdicts: %s" % dict(list(bad.items())[:6]))
sys.exit(0 if good and not bad else 1)
EOF
}

make_pki
start_nginx
write_targets
if [ "$ONLY_TORREADY" = 1 ]; then
	echo "  $SITES sites on $PORTS HTTPS + $PORTS HTTP ports (one nginx), torready only, --timeout $TIMEOUT"
	T=() R=()
	for r in $(seq 1 "$RUNS"); do
		T+=("$(run_torready)")
		R+=("$(awk '{ printf "%.0f", $1 / 1024 }' "$TMP/rss")")
	done
	verdicts=$(check_results) || { say "torready verdicts" "$verdicts"; exit 1; }
	say "torready verdicts" "$verdicts"
	say "torready --only https" "median $(median "${T[@]}") s, $(median "${R[@]}") MiB ($(printf '%s ' "${T[@]}")s)"
	exit 0
fi
write_curl_configs
echo "  $SITES sites on $PORTS HTTPS + $PORTS HTTP ports (one nginx), $RUNS runs each, 7 requests a site"
T=() C=() S=()
for r in $(seq 1 "$RUNS"); do
	T+=("$(run_torready)")
	if [ "$r" = 1 ]; then
		verdicts=$(check_results) || { say "torready verdicts" "$verdicts"; exit 1; }
		say "torready verdicts" "$verdicts"
	fi
	C+=("$(run_curl_per_request)")
	S+=("$(run_curl_per_site)")
done
tm=$(median "${T[@]}")
cm=$(median "${C[@]}")
sm=$(median "${S[@]}")
runs() { printf '%.2f ' "$@"; }
say "torready --only https" "median $(printf '%.2f' "$tm") s ($(runs "${T[@]}")s)"
say "curl loop, a process per request" "median $(printf '%.2f' "$cm") s ($(runs "${C[@]}")s)"
say "curl loop, a process per site" "median $(printf '%.2f' "$sm") s ($(runs "${S[@]}")s)"
ratio=$(awk -v c="$cm" -v t="$tm" 'BEGIN { printf "%.1f", c / t }')
tight=$(awk -v c="$sm" -v t="$tm" 'BEGIN { printf "%.1f", c / t }')
ok=$(awk -v r="$ratio" 'BEGIN { print (r >= 10) ? "met" : "NOT met" }')
say "ratio (curl loop / torready)" "${ratio}x   target >= 10x: $ok"
say "ratio (per-site curl / torready)" "${tight}x   (the tighter baseline)"
