#!/usr/bin/env python3
"""P5 `torready serve`: results submissions per second (N distinct documents, C concurrent
clients, each on its own kept-alive TLS connection), the time until the site shows them, and
GET / latency side by side with nginx serving the same pre-rendered index.html with the same
certificate (a kept-alive connection, and a new TLS connection per request).
Figures are printed, never asserted.

usage: bench/serve.py [--torready PATH] [--submissions N] [--clients C] [--gets N]
Runs in a private network namespace (only loopback) when it can, like bench/run."""
import argparse
import concurrent.futures
import http.client
import json
import os
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

if os.environ.get("BENCH_NETNS", "1") == "1" and not os.environ.get("TORREADY_IN_NETNS") \
        and os.geteuid() == 0 and shutil.which("unshare"):
    os.environ["TORREADY_IN_NETNS"] = "1"
    os.execvp("unshare", ["unshare", "--net", "--", "sh", "-c",
                          'ip link set lo up && exec "$0" "$@"', sys.executable] + sys.argv)

ap = argparse.ArgumentParser()
ap.add_argument("--torready", default=os.path.join(REPO, "torready"))
ap.add_argument("--submissions", type=int, default=1000)
ap.add_argument("--clients", type=int, default=8)
ap.add_argument("--gets", type=int, default=500)
args = ap.parse_args()

W = tempfile.mkdtemp(prefix="torready-bench-serve.")
os.chmod(W, 0o755)   # nginx workers run as another user
SERVE_PORT, NGINX_PORT = 19443, 19444
procs = []


def run(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_port(port, secs=20):
    end = time.monotonic() + secs
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return True
        except OSError:
            time.sleep(0.05)
    return False


def ctx():
    return ssl.create_default_context(cafile=W + "/cert.pem")


def doc(i):
    return json.dumps({
        "schema": "torready-results/1", "tool": {"name": "torready", "version": "0.1.0"},
        "started": "2026-12-04T10:00:00Z", "finished": "2026-12-04T10:%02d:%02dZ" % (i // 60 % 60, i % 60),
        "duration_ms": 4000, "deadline_ms": 10000,
        "host": {"os": "Debian GNU/Linux 12", "machine_id": "%032x" % i},
        "verdict": {"level": ["ready", "problems", "tor_blocked"][i % 3], "headline": "x", "reasons": []},
        "contacted": ["128.31.0.39:9201"],
        "results": [{"probe": "net.baseline", "target": "control", "name": "", "status": "pass",
                     "code": "ok", "summary": "ok", "duration_ms": 3, "evidence": {}},
                    {"probe": "https.hsts", "target": "https://www.example.edu/", "name": "",
                     "status": "warn" if i % 2 else "pass", "code": "missing" if i % 2 else "ok",
                     "summary": "s", "duration_ms": 9, "evidence": {}}]})


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))]


def get_latencies(port, n, keepalive):
    lat = []
    conn = None
    for _ in range(n):
        if conn is None or not keepalive:
            if conn:
                conn.close()
            conn = http.client.HTTPSConnection("localhost", port, context=ctx(), timeout=10)
        t = time.perf_counter()
        conn.request("GET", "/")
        r = conn.getresponse()
        body = r.read()
        lat.append(time.perf_counter() - t)
        assert r.status == 200 and body, r.status
    conn.close()
    return lat


try:
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", W + "/key.pem", "-out", W + "/cert.pem", "-days", "2", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost", "-addext", "basicConstraints=critical,CA:TRUE")
    token = os.urandom(16).hex()
    open(W + "/token", "w").write(token + "\n")
    logf = open(W + "/serve.log", "w")
    serve = subprocess.Popen([args.torready, "serve", "--listen", "127.0.0.1:%d" % SERVE_PORT,
                              "--tls-cert", W + "/cert.pem", "--tls-key", W + "/key.pem",
                              "--token-file", W + "/token", "--store", W + "/store.sqlite",
                              "--kb", REPO + "/kb", "--templates", REPO + "/templates"],
                             stdout=logf, stderr=logf)
    procs.append(serve)
    assert wait_port(SERVE_PORT), "serve did not start"

    # --- submissions per second
    hdr = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    docs = [doc(i) for i in range(args.submissions)]
    per = [docs[k::args.clients] for k in range(args.clients)]

    def client(batch):
        conn = http.client.HTTPSConnection("localhost", SERVE_PORT, context=ctx(), timeout=30)
        for d in batch:
            conn.request("POST", "/api/results", d, hdr)
            r = conn.getresponse()
            r.read()
            assert r.status == 201, r.status
        conn.close()

    t0 = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(args.clients) as ex:
        list(ex.map(client, per))
    dt = time.perf_counter() - t0
    print("P5 serve: %d submissions, %d clients: %.2f s, %.0f submissions/s"
          % (args.submissions, args.clients, dt, args.submissions / dt), flush=True)

    # --- the site catches up: time until GET / counts every machine
    t0 = time.perf_counter()
    want = 'data-machines="%d"' % args.submissions
    seen = False
    while time.perf_counter() - t0 < 60:
        conn = http.client.HTTPSConnection("localhost", SERVE_PORT, context=ctx(), timeout=10)
        conn.request("GET", "/")
        body = conn.getresponse().read().decode()
        conn.close()
        if want in body:
            seen = True
            break
        time.sleep(0.1)
    print("P5 serve: site shows all %d machines %s after the last submission"
          % (args.submissions, "%.2f s" % (time.perf_counter() - t0) if seen else "NOT within 60 s"),
          flush=True)
    render_lines = [l for l in open(W + "/serve.log") if "site rendered" in l]
    if render_lines:
        print("P5 serve: last render: " + render_lines[-1].strip(), flush=True)

    # --- nginx with the same page and certificate
    os.makedirs(W + "/www")
    os.makedirs(W + "/tmp")
    shutil.copy(W + "/store.sqlite.site/index.html", W + "/www/index.html")
    with open(W + "/nginx.conf", "w") as f:
        f.write("""worker_processes 1; error_log %(d)s/nginx-error.log; pid %(d)s/nginx.pid; daemon off;
events { worker_connections 1024; }
http { access_log off; client_body_temp_path %(d)s/tmp; proxy_temp_path %(d)s/tmp;
  fastcgi_temp_path %(d)s/tmp; uwsgi_temp_path %(d)s/tmp; scgi_temp_path %(d)s/tmp;
  default_type text/html;
  server { listen 127.0.0.1:%(p)d ssl; ssl_certificate %(d)s/cert.pem; ssl_certificate_key %(d)s/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3; ssl_session_cache off; ssl_session_tickets off;
    root %(d)s/www; index index.html; } }
""" % {"d": W, "p": NGINX_PORT})
    ng = subprocess.Popen(["nginx", "-p", W, "-c", W + "/nginx.conf"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, start_new_session=True)
    procs.append(ng)
    assert wait_port(NGINX_PORT), "nginx did not start"
    size = os.path.getsize(W + "/www/index.html")
    print("P5 serve: GET / (%d bytes), %d requests each, latency median / p99:" % (size, args.gets))
    for keep in (True, False):
        what = "kept-alive connection" if keep else "new TLS connection each"
        s = get_latencies(SERVE_PORT, args.gets, keep)
        n = get_latencies(NGINX_PORT, args.gets, keep)
        print("  %-26s torready serve %.2f / %.2f ms   nginx %.2f / %.2f ms   ratio %.2f"
              % (what, 1000 * statistics.median(s), 1000 * pct(s, 0.99),
                 1000 * statistics.median(n), 1000 * pct(n, 0.99),
                 statistics.median(s) / statistics.median(n)), flush=True)
finally:
    for p in procs:
        try:
            p.send_signal(signal.SIGTERM)
            p.wait(10)
        except Exception:
            p.kill()
    shutil.rmtree(W, ignore_errors=True)
