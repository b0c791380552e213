#!/usr/bin/env python3
"""Tests of `torready serve` with real peers (tests/serve/run enters the network namespace).
Each case prints `ok - NAME` or `FAIL - NAME: WHY`; the run ends with `N passed, N failed`.
python3 stdlib only; the peers are Debian programs (curl, chromium, firefox-esr + certutil,
mitmdump, sslsplit, sqlite3), each started here on 127.0.0.x and stopped at the end."""
import argparse
import resource
import concurrent.futures
import json
import os
import re
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PORT = 18443
HOST = "127.0.0.1"
CHROME_UA = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
             "Chrome/156.0.0.0 Safari/537.36")

ap = argparse.ArgumentParser()
ap.add_argument("--torready", default=os.environ.get("TORREADY", os.path.join(REPO, "torready")))
ap.add_argument("--filter", default="")
ap.add_argument("-v", action="store_true")
args = ap.parse_args()
BIN = os.path.abspath(args.torready)
with open(BIN, "rb") as _f:
    ASAN = b"__asan_init" in _f.read()
# room for the hostile cases' hundreds of sockets
_soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(_hard, 8192), _hard))
W = tempfile.mkdtemp(prefix="torready-serve.")
# `check` keeps a machine id under $XDG_STATE_HOME: the tests keep theirs here, never in ~.
os.environ["XDG_STATE_HOME"] = os.path.join(W, "state")
passed = failed = 0
procs = []


def log(*a):
    if args.v:
        print("  #", *a, flush=True)


def case(name):
    def deco(fn):
        global passed, failed
        if args.filter and args.filter not in name:
            return fn
        t0 = time.time()
        try:
            fn()
            passed += 1
            print("ok - %s (%.1f s)" % (name, time.time() - t0), flush=True)
        except Exception as e:  # a failed check, or a peer that broke: both are failures
            failed += 1
            print("FAIL - %s: %s" % (name, e), flush=True)
            tail = open(os.path.join(W, "serve.log"), errors="replace").read()[-800:]
            if tail:
                print("  serve log tail:\n  " + tail.replace("\n", "\n  "), flush=True)
        return fn
    return deco


def check(cond, why):
    if not cond:
        raise AssertionError(why)


def sh(*cmd, timeout=60, check_rc=True, **kw):
    r = subprocess.run(cmd, capture_output=True, timeout=timeout, **kw)
    if check_rc and r.returncode != 0:
        raise AssertionError("%s exited %d: %s" % (cmd[0], r.returncode, r.stderr[-400:]))
    return r


def pem_pin(pem):
    der = sh("sh", "-c", "openssl x509 -in '%s' -pubkey -noout | openssl pkey -pubin -outform der "
             "| openssl dgst -sha256 -binary | base64" % pem).stdout
    return der.decode().strip()


# ---------------------------------------------------------------- setup

def make_pki():
    d = W
    sh("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
       "-keyout", d + "/ca.key", "-out", d + "/ca.pem", "-days", "30", "-subj",
       "/O=Example University/CN=Example Department CA",
       "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign")
    sh("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
       "-keyout", d + "/srv.key", "-out", d + "/srv.csr", "-subj", "/CN=localhost")
    with open(d + "/ext", "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    sh("openssl", "x509", "-req", "-in", d + "/srv.csr", "-CA", d + "/ca.pem", "-CAkey",
       d + "/ca.key", "-CAcreateserial", "-out", d + "/srv.pem", "-days", "30", "-extfile", d + "/ext")
    with open(d + "/token", "w") as f:
        f.write(os.urandom(24).hex() + "\n")
    with open(d + "/site.yaml", "w") as f:
        f.write('department: "Test <b>Department</b>"\ncontact: "help@dept.example"\n')


def token():
    return open(W + "/token").read().strip()


def wait_port(host, port, secs, proc=None):
    end = time.time() + secs
    while time.time() < end:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            socket.create_connection((host, port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.1)
    return False


SERVE = None


def start_serve(extra=()):
    global SERVE
    logf = open(os.path.join(W, "serve.log"), "a")
    cmd = [BIN, "serve", "--listen", "%s:%d" % (HOST, PORT), "--tls-cert", W + "/srv.pem",
           "--tls-key", W + "/srv.key", "--store", W + "/store.sqlite", "--token-file", W + "/token",
           "--templates", REPO + "/templates", "--kb", REPO + "/kb", "--min-group", "2",
           "--idle-timeout", "3", "--site", W + "/site.yaml"] + list(extra)
    env = dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "detect_leaks=0"))
    SERVE = subprocess.Popen(cmd, stdout=logf, stderr=logf, env=env)
    if not wait_port(HOST, PORT, 20, SERVE):
        raise AssertionError("serve did not start (exit %s)" % SERVE.poll())


def spawn_serve(port, store, extra, logpath, env=None):
    """A second serve beside the main one (own port, store and log), for the cases that need
    their own limits or a second process on the same store."""
    logf = open(logpath, "w")
    cmd = [BIN, "serve", "--listen", "127.0.0.1:%d" % port, "--tls-cert", W + "/srv.pem",
           "--tls-key", W + "/srv.key", "--store", store, "--templates", REPO + "/templates",
           "--kb", REPO + "/kb"] + list(extra)
    return subprocess.Popen(cmd, stdout=logf, stderr=logf, env=env)


def stop_serve():
    if SERVE and SERVE.poll() is None:
        SERVE.send_signal(signal.SIGTERM)
        try:
            return SERVE.wait(10)
        except subprocess.TimeoutExpired:
            SERVE.kill()
            return SERVE.wait()
    return SERVE.returncode if SERVE else None


def alive():
    check(SERVE.poll() is None, "serve exited (status %s)" % SERVE.poll())


def ctx():
    c = ssl.create_default_context(cafile=W + "/ca.pem")
    return c


def request(method, path, body=None, headers=None, timeout=10):
    """One HTTPS request with Python's http.client; returns (status, body bytes)."""
    return request_at(PORT, method, path, body, headers, timeout)


def request_at(port, method, path, body=None, headers=None, timeout=10):
    import http.client
    conn = http.client.HTTPSConnection("localhost", port, context=ctx(), timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def curl_json(path, ua=None):
    cmd = ["curl", "-sS", "--max-time", "10", "--cacert", W + "/ca.pem"]
    if ua:
        cmd += ["-A", ua]
    r = sh(*cmd, "https://localhost:%d%s" % (PORT, path))
    return json.loads(r.stdout)


def auth():
    return {"Authorization": "Bearer " + token(), "Content-Type": "application/json"}


def mid(name):
    """A readable test name as a schema-valid machine id (32 lower-case hex digits): its bytes
    in hex, padded, so a name's prefix is the id's prefix (SQL `like 'PREFIX%'` still works)."""
    h = name.encode().hex()
    assert len(h) <= 32, name
    return h.ljust(32, "0")


def results_doc(machine, finished="2026-12-04T10:00:04Z", level="ready", extra_results=()):
    return {
        "schema": "torready-results/1",
        "tool": {"name": "torready", "version": "0.1.0"},
        "started": "2026-12-04T10:00:00Z", "finished": finished,
        "duration_ms": 4012, "deadline_ms": 10000,
        "host": {"os": "Debian GNU/Linux 12", "machine_id": mid(machine)},
        "verdict": {"level": level, "headline": "ready", "reasons": []},
        "contacted": ["128.31.0.39:9201"],
        "results": [{"probe": "net.baseline", "target": "control", "name": "", "status": "pass",
                     "code": "ok", "summary": "network works", "duration_ms": 3,
                     "evidence": {}}] + list(extra_results),
    }


def summary():
    st, b = request("GET", "/api/summary.json")
    check(st == 200, "summary: HTTP %d" % st)
    return json.loads(b)


# ---------------------------------------------------------------- browsers

def chromium_json(url, extra=()):
    prof = tempfile.mkdtemp(dir=W, prefix="chromium.")
    r = sh("chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--ignore-certificate-errors", "--user-data-dir=" + prof, *extra, "--dump-dom", url,
           timeout=60, check_rc=False)
    m = re.search(rb"\{.*\}", r.stdout, re.S)
    check(m, "chromium printed no JSON (status %d): %r" % (r.returncode, r.stderr[-300:]))
    return json.loads(m.group(0).decode())


def latest_selfcheck():
    st, b = request("GET", "/api/self-checks?limit=1", headers=auth())
    check(st == 200, "self-checks: HTTP %d" % st)
    a = json.loads(b)
    check(a, "no self-check recorded")
    return a[0]


def start_daemon(name, cmd, host, port):
    logf = open(os.path.join(W, name + ".log"), "w")
    p = subprocess.Popen(cmd, stdout=logf, stderr=logf, start_new_session=True)
    procs.append(p)
    if not wait_port(host, port, 30, p):
        raise AssertionError("%s did not start: %s" % (name, open(os.path.join(W, name + ".log")).read()[-300:]))
    return p


# ---------------------------------------------------------------- raw TLS

def client_hello_bytes():
    """A real ClientHello from Python's OpenSSL, as records (via a memory BIO)."""
    c = ssl.create_default_context()
    c.check_hostname = False
    c.verify_mode = ssl.CERT_NONE
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    o = c.wrap_bio(inc, out, server_hostname="localhost")
    try:
        o.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return out.read()


def hs_message(records):
    body = b""
    i = 0
    while i + 5 <= len(records):
        n = struct.unpack(">H", records[i + 3:i + 5])[0]
        body += records[i + 5:i + 5 + n]
        i += 5 + n
    return body


def read_some(s, n=5, timeout=5):
    s.settimeout(timeout)
    try:
        return s.recv(n)
    except (socket.timeout, ConnectionError):
        return b""


# ================================================================= cases

try:
    make_pki()
    start_serve()
except Exception as e:  # nothing can be tested: one visible failure, the usual last line
    print("FAIL - serve starts: %s" % e)
    print("0 passed, 1 failed")
    sys.exit(1)


@case("plain curl -> unknown")
def _():
    j = curl_json("/self-check.json")
    check(j["verdict"] == "unknown", j)
    check(j["client"]["family"] == "other", j)
    check(re.match(r"^t1[23][di]\d{4}[0-9a-z]{2}_[0-9a-f]{12}_[0-9a-f]{12}$", j["client"]["ja4"]), j)


@case("curl claiming Chrome -> intercepted, with the disagreeing features")
def _():
    j = curl_json("/self-check.json", ua=CHROME_UA)
    check(j["verdict"] == "intercepted", j)
    check(j["client"]["family"] == "chromium" and j["client"]["version"] == "156", j)
    check("grease_cipher_missing" in j["signals"] and "encrypt_then_mac" in j["signals"], j["signals"])


@case("self-check JSON names this server's certificate issuer and SPKI pin")
def _():
    j = curl_json("/self-check.json")
    check(j["certificate"]["spki_sha256"] == pem_pin(W + "/srv.pem"), j["certificate"])
    check("Example Department CA" in j["certificate"]["issuer"], j["certificate"])


@case("self-check page: banner, meaning, article link, pin, no script")
def _():
    r = sh("curl", "-sS", "--cacert", W + "/ca.pem", "-A", CHROME_UA,
           "https://localhost:%d/self-check" % PORT)
    page = r.stdout.decode()
    check('data-self-check="intercepted"' in page, "banner")
    check("sha256//" + pem_pin(W + "/srv.pem") in page, "pin")
    check('href="tls-inspection.html"' in page, "article link")
    check("<script" not in page.lower(), "a script on the page")
    check("only the path between your browser and this server" in page, "limits")
    check("help@dept.example" in page and "Test &lt;b&gt;Department" in page, "no help desk from --site")
    st, _ = request("GET", "/tls-inspection.html")
    check(st == 200, "the linked article: HTTP %d" % st)


@case("self-check page (each verdict) passes tidy without a warning")
def _():
    for ua in (None, CHROME_UA):
        cmd = ["curl", "-sS", "--cacert", W + "/ca.pem"] + (["-A", ua] if ua else [])
        page = sh(*cmd, "https://localhost:%d/self-check" % PORT).stdout
        r = subprocess.run(["tidy", "-e", "-q"], input=page, capture_output=True, timeout=30)
        check(not r.stderr.strip(), r.stderr.decode()[:400])


@case("Chromium headless direct -> clear")
def _():
    j = chromium_json("https://localhost:%d/self-check.json" % PORT)
    check(j["verdict"] == "clear", j)
    check(j["client"]["family"] == "chromium", j)


@case("Chromium through mitmdump -> intercepted")
def _():
    conf = os.path.join(W, "mitm")
    os.makedirs(conf, exist_ok=True)
    start_daemon("mitmdump", ["mitmdump", "--set", "confdir=" + conf, "--mode",
                              "reverse:https://127.0.0.1:%d" % PORT, "--ssl-insecure",
                              "--listen-host", "127.0.0.3", "--listen-port", str(PORT + 1), "-q"],
                 "127.0.0.3", PORT + 1)
    # (another port: mitmproxy refuses to forward to 127.0.0.1 on its own listening port)
    j = chromium_json("https://127.0.0.3:%d/self-check.json" % (PORT + 1))
    check(j["verdict"] == "intercepted", j)
    check(j["signals"], j)
    log(j["signals"])


@case("Chromium through sslsplit -> intercepted")
def _():
    d = os.path.join(W, "sslsplit")
    os.makedirs(d, exist_ok=True)
    sh("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", d + "/ca.key", "-out",
       d + "/ca.pem", "-days", "30", "-subj", "/O=Example Campus IT/CN=Campus Inspection CA",
       "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign")
    # sslsplit resolves with AI_ADDRCONFIG: give lo a non-127.0.0.1 address (see tests/peers/sslsplit.sh).
    subprocess.run(["ip", "addr", "add", "127.0.0.5/32", "dev", "lo"], capture_output=True)
    start_daemon("sslsplit", ["sslsplit", "-D", "-k", d + "/ca.key", "-c", d + "/ca.pem", "ssl",
                              "127.0.0.5", str(PORT), "127.0.0.1", str(PORT)], "127.0.0.5", PORT)
    j = chromium_json("https://127.0.0.5:%d/self-check.json" % PORT)
    check(j["verdict"] == "intercepted", j)
    log(j["signals"])


@case("Firefox ESR headless with the test CA in a fresh NSS profile -> clear")
def _():
    prof = tempfile.mkdtemp(dir=W, prefix="firefox.")
    sh("certutil", "-N", "-d", "sql:" + prof, "--empty-password")
    sh("certutil", "-A", "-n", "torready test CA", "-t", "C,,", "-i", W + "/ca.pem", "-d", "sql:" + prof)
    sh("firefox-esr", "--headless", "--no-remote", "--profile", prof, "--screenshot",
       os.path.join(W, "ff.png"), "https://localhost:%d/self-check" % PORT, timeout=90, check_rc=False)
    r = latest_selfcheck()
    check(r["family"] == "firefox" and r["verdict"] == "clear", r)


@case("self-check records carry no address")
def _():
    dump = sh("sqlite3", W + "/store.sqlite", ".dump self_checks").stdout.decode()
    check("127.0.0." not in dump and "localhost" not in dump, "an address in self_checks")
    st, _ = request("GET", "/api/self-checks?limit=3")
    check(st == 401, "without the token: HTTP %d" % st)


# ---------------------------------------------------------------- intake

@case("intake: no token, wrong token -> 401")
def _():
    body = json.dumps(results_doc("m-auth"))
    st, _ = request("POST", "/api/results", body, {"Content-Type": "application/json"})
    check(st == 401, "no token: %d" % st)
    st, _ = request("POST", "/api/results", body, {"Authorization": "Bearer " + "x" * len(token())})
    check(st == 401, "wrong token: %d" % st)
    st, _ = request("POST", "/api/results", body, {"Authorization": "Bearer " + token() + "x"})
    check(st == 401, "longer token: %d" % st)


@case("intake: bad JSON -> 400 naming line:col")
def _():
    st, b = request("POST", "/api/results", '{\n  "schema": "torready-results/1",\n  oops\n}', auth())
    check(st == 400, "HTTP %d" % st)
    check(re.search(r"\b3:\d+\b", json.loads(b)["error"]), b)


@case("intake: not a results document -> 400 naming the field")
def _():
    st, b = request("POST", "/api/results", json.dumps({"hello": 1}), auth())
    check(st == 400 and "schema" in json.loads(b)["error"], (st, b))
    d = results_doc("m-bad")
    del d["results"][0]["status"]
    st, b = request("POST", "/api/results", json.dumps(d), auth())
    check(st == 400 and "results[0].status" in json.loads(b)["error"], (st, b))


@case("intake: a document the results schema refuses -> 400 naming the field, nothing stored")
def _():
    # Each is valid JSON that the reader used to store: schema/results.schema.json refuses it,
    # and so does intake (tests/schema/agree proves the two agree on thousands of mutants).
    bad = []
    d = results_doc("m-schema"); d["results"][0]["status"] = "fail"; bad.append((d, "results[0].code ok"))
    d = results_doc("m-schema"); del d["tool"]; bad.append((d, "tool is missing"))
    d = results_doc("m-schema"); d["host"]["machine_id"] = "m-schema"; bad.append((d, "host.machine_id"))
    d = results_doc("m-schema"); d["verdict"]["level"] = "fine"; bad.append((d, "verdict.level"))
    d = results_doc("m-schema"); d["contacted"] *= 2; bad.append((d, "contacted"))
    for d, field in bad:
        st, b = request("POST", "/api/results", json.dumps(d), auth())
        check(st == 400 and field in json.loads(b)["error"], (field, st, b))
    n = sh("sqlite3", W + "/store.sqlite", "select count(*) from results where machine='%s'" % mid("m-schema")).stdout
    check(n.strip() == b"0", n)


@case("intake: invalid UTF-8 -> 400")
def _():
    body = json.dumps(results_doc("m-utf8")).encode().replace(b"network works", b"bad \xff\xfe bytes")
    st, b = request("POST", "/api/results", body, auth())
    check(st == 400, (st, b))


@case("intake: over 4 MiB -> 413")
def _():
    d = results_doc("m-big")
    d["results"][0]["summary"] = "x" * (4 * 1024 * 1024 + 10)
    try:
        st, _ = request("POST", "/api/results", json.dumps(d), auth())
    except (ConnectionError, OSError) as e:  # the server may close before reading it all
        raise AssertionError("no answer: %s" % e)
    check(st == 413, "HTTP %d" % st)
    alive()


@case("intake: 201, a resubmission stored once, one machine counted once")
def _():
    d = results_doc("m-one")
    st, b = request("POST", "/api/results", json.dumps(d), auth())
    check(st == 201, (st, b))
    first = json.loads(b)
    st, b = request("POST", "/api/results", json.dumps(d), auth())
    check(st == 201 and json.loads(b)["id"] == first["id"] and json.loads(b)["stored"] is False, b)
    d2 = results_doc("m-one", finished="2026-12-04T11:00:04Z", level="problems")
    st, b = request("POST", "/api/results", json.dumps(d2), auth())
    check(st == 201 and json.loads(b)["stored"] is True, b)
    n = sh("sqlite3", W + "/store.sqlite", "select count(*) from results where machine='%s'" % mid("m-one")).stdout
    check(n.strip() == b"2", n)
    s = summary()
    check(s["machines"] is None or s["machines"] >= 1, s)


@case("intake: a document without a verdict is counted at the level verdict.c gives it")
def _():
    d = results_doc("m-noverdict", extra_results=[{
        "probe": "tls.intercept", "target": "www.example.org:443", "name": "", "status": "fail",
        "code": "local_root", "summary": "re-signed", "duration_ms": 5,
        "evidence": {"inspection_ca": "Campus Inspection CA"}}])
    del d["verdict"]
    st, b = request("POST", "/api/results", json.dumps(d), auth())
    check(st == 201, (st, b))
    lv = sh("sqlite3", W + "/store.sqlite", "select level from results where machine='%s'" % mid("m-noverdict")).stdout
    check(lv.strip() == b"intercepted", lv)


@case("intake: 60 concurrent submissions, none lost")
def _():
    def one(i):
        return request("POST", "/api/results", json.dumps(results_doc("m-conc-%02d" % i)), auth(),
                       timeout=30)[0]
    with concurrent.futures.ThreadPoolExecutor(60) as ex:
        codes = list(ex.map(one, range(60)))
    check(all(c == 201 for c in codes), codes)
    n = sh("sqlite3", W + "/store.sqlite",
           "select count(distinct machine) from results where machine like '%s%%'" % "m-conc-".encode().hex()).stdout
    check(n.strip() == b"60", n)


@case("intake: two serve processes on one store, 40 submissions each at once, none lost")
def _():
    port2 = PORT + 4
    p = spawn_serve(port2, W + "/store.sqlite", ["--token-file", W + "/token", "--site-dir", W + "/site2"],
                    W + "/serve2.log")
    try:
        check(wait_port(HOST, port2, 20, p), "the second serve did not start")
        import http.client

        def one(i):
            port = PORT if i % 2 else port2
            conn = http.client.HTTPSConnection("localhost", port, context=ctx(), timeout=30)
            conn.request("POST", "/api/results", json.dumps(results_doc("m-two-%02d" % i)), auth())
            st = conn.getresponse().status
            conn.close()
            return st
        with concurrent.futures.ThreadPoolExecutor(40) as ex:
            codes = list(ex.map(one, range(80)))
        check(all(c == 201 for c in codes), codes)
        n = sh("sqlite3", W + "/store.sqlite",
               "select count(*) from results where machine like '%s%%'" % "m-two-".encode().hex()).stdout
        check(n.strip() == b"80", n)
    finally:
        p.terminate()
        p.wait(10)


@case("intake: redacted in the database file")
def _():
    bridge = {"probe": "tor.bridge", "target": "obfs4 192.0.2.77:9443 4C1AB0FD3E4B1C7A0E7C5D9F2B3A4C5D6E7F8091 "
              "cert=SeCrEtCeRtVaLuE0123456789abcdefABCDEF iat-mode=0", "name": "", "status": "fail",
              "code": "timeout", "summary": "no answer from 192.0.2.77:9443", "duration_ms": 5000,
              "evidence": {"address": "192.0.2.77:9443"}}
    dirauth = {"probe": "tor.dirauth", "target": "moria1", "name": "", "status": "pass", "code": "ok",
               "summary": "ok", "duration_ms": 5, "evidence": {"relay_sees_us_as": "203.0.113.250"}}
    d = results_doc("m-redact", extra_results=[bridge, dirauth])
    d["contacted"].append("192.0.2.77:9443")
    st, b = request("POST", "/api/results", json.dumps(d), auth())
    check(st == 201, (st, b))
    raw = open(W + "/store.sqlite", "rb").read()
    for f in ("-wal", "-shm"):
        if os.path.exists(W + "/store.sqlite" + f):
            raw += open(W + "/store.sqlite" + f, "rb").read()
    for secret in (b"SeCrEtCeRtVaLuE", b"203.0.113.250", b"192.0.2.77"):
        check(secret not in raw, "%r is in the database file" % secret)


@case("hostile text in submitted fields is escaped on every page")
def _():
    evil = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&'
    d = results_doc("m-evil", extra_results=[{"probe": "https.cert", "target": evil, "name": evil,
                                              "status": "fail", "code": "expired", "summary": evil,
                                              "duration_ms": 1, "evidence": {"x": evil}}])
    d["host"]["os"] = evil
    st, b = request("POST", "/api/results", json.dumps(d), auth())
    check(st == 201, (st, b))
    time.sleep(2.5)  # the site is re-rendered a second after new data
    pages = [f for f in os.listdir(W + "/store.sqlite.site") if f.endswith(".html")]
    check(len(pages) > 3, pages)
    for p in ["index.html"] + pages:
        st, body = request("GET", "/" + p)
        check(st == 200, "%s: HTTP %d" % (p, st))
        check(b"<script>alert" not in body and b"<img src=x" not in body, "unescaped in " + p)


@case("GET / is the site from the store (data-verdict, machines counted)")
def _():
    st, body = request("GET", "/")
    check(st == 200, st)
    tpl = open(REPO + "/templates/site-index-body.mustache").read()
    if "data-verdict" in tpl:
        check(b"data-verdict=" in body, "no data-verdict banner")
    check(b'class="banner' in body, "no banner")
    check(b"Test &lt;b&gt;Department&lt;/b&gt;" in body, "the --site department is not on the page")
    m = re.search(rb'data-self-checks="(\d+)"', body)
    check(m and int(m.group(1)) >= 5 and b'href="self-check"' in body, "no self-check counts on /")
    m = re.search(rb'data-machines="(\d+)"', body)
    if m:
        check(int(m.group(1)) >= 60, m.group(0))
    st, body = request("GET", "/handout-tls-inspection.html")
    check(st == 200, "handout: %d" % st)


@case("summary.json: machines once each, levels, self-checks; small groups hidden")
def _():
    s = summary()
    n = int(sh("sqlite3", W + "/store.sqlite", "select count(distinct machine) from results").stdout)
    check(s["machines"] == n, (s, n))
    check(s["levels"].get("ready", 0) >= 60, s)
    check(set(s["self_checks"]) == {"clear", "intercepted", "unknown"}, s)
    # m-one's latest is "problems": a group of one, under --min-group 2
    check(s["levels"].get("problems", "absent") is None, s)


# ---------------------------------------------------------------- hostile clients

def memory_bio_json(split):
    """GET /self-check.json over a TLS connection driven by hand (ssl.MemoryBIO); with split,
    the ClientHello goes out as one-byte records. Returns the parsed answer."""
    c = ctx()
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    o = c.wrap_bio(inc, out, server_hostname="localhost")
    s = socket.create_connection((HOST, PORT), timeout=5)
    first = True

    def flush():
        nonlocal first
        data = out.read()
        if first and split and data:
            msg = hs_message(data)
            data = b"".join(b"\x16\x03\x01\x00\x01" + msg[i:i + 1] for i in range(len(msg)))
        if data:
            first = False
            s.sendall(data)

    def pump():
        d = s.recv(65536)
        if not d:
            raise AssertionError("server closed during the handshake")
        inc.write(d)

    while True:
        try:
            o.do_handshake()
            break
        except ssl.SSLWantReadError:
            flush()
            pump()
    flush()
    o.write(b"GET /self-check.json HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    flush()
    resp = b""
    while True:
        try:
            chunk = o.read(65536)
            if not chunk:
                break
            resp += chunk
        except ssl.SSLWantReadError:
            try:
                d = s.recv(65536)
            except socket.timeout:
                break
            if not d:
                break
            inc.write(d)
        except (ssl.SSLZeroReturnError, ssl.SSLEOFError):
            break
    s.close()
    body = resp.split(b"\r\n\r\n", 1)[1]
    return json.loads(body)


@case("hostile: ClientHello split into one-byte records is reassembled: same JA4 as in one record")
def _():
    whole = memory_bio_json(False)
    split = memory_bio_json(True)
    check(whole["client"]["ja4"] and split["client"]["ja4"] == whole["client"]["ja4"], (whole, split))
    alive()


@case("hostile: oversized and garbage ClientHellos, garbage before TLS")
def _():
    for payload in (b"\x16\x03\x01\x40\x00\x01\xff\xff\xff" + b"A" * 16000,
                    b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
                    os.urandom(3000),
                    b"\x16\x03\x01\x00\x05\x01\x00\x00\x01\x00"):
        s = socket.create_connection((HOST, PORT), timeout=5)
        try:
            s.sendall(payload)
        except OSError:
            pass
        read_some(s, 100, timeout=5)
        s.close()
    alive()
    check(curl_json("/self-check.json")["verdict"] == "unknown", "not answering after")


@case("hostile: a byte-a-second client, half-open and 900 idle connections; others still answered")
def _():
    hello = client_hello_bytes()
    idle = []
    for _ in range(900):
        idle.append(socket.create_connection((HOST, PORT), timeout=5))
    drip = socket.create_connection((HOST, PORT), timeout=5)
    half = socket.create_connection((HOST, PORT), timeout=5)
    half.sendall(hello[:40])
    half.shutdown(socket.SHUT_WR)
    t0 = time.time()
    for i in range(4):
        drip.send(hello[i:i + 1])
        t = time.time()
        j = curl_json("/self-check.json")
        check(j["verdict"] == "unknown", j)
        check(time.time() - t < 3, "a request took %.1f s" % (time.time() - t))
        time.sleep(max(0, 1 - (time.time() - t)))
    log("dripped for %.1f s" % (time.time() - t0))
    # the idle ones are closed by the idle timeout (3 s here)
    time.sleep(4)
    closed = sum(1 for s in idle[:20] if read_some(s, 1, timeout=2) == b"")
    check(closed == 20, "%d of 20 idle connections still open after the idle timeout" % (20 - closed))
    for s in idle + [drip, half]:
        s.close()
    alive()


@case("hostile: 60 idle connections against --max-connections 20: bounded, others served later")
def _():
    port = PORT + 3
    d = tempfile.mkdtemp(dir=W, prefix="bounded.")
    p = spawn_serve(port, d + "/store.sqlite", ["--max-connections", "20", "--idle-timeout", "2"], d + "/log")
    try:
        check(wait_port(HOST, port, 20, p), "did not start")
        time.sleep(0.3)
        idle = [socket.create_connection((HOST, port), timeout=5) for _ in range(60)]
        time.sleep(0.5)
        fds = len(os.listdir("/proc/%d/fd" % p.pid))
        check(fds < 20 + 16, "%d descriptors open with --max-connections 20" % fds)
        t = time.time()
        r = sh("curl", "-sS", "--max-time", "20", "--cacert", W + "/ca.pem",
               "https://localhost:%d/self-check.json" % port, check_rc=False, timeout=30)
        check(r.returncode == 0, "not served: %r" % r.stderr[-200:])
        log("served after %.1f s behind 60 idle connections" % (time.time() - t))
        check(p.poll() is None, "serve exited")
        more = [socket.create_connection((HOST, port), timeout=5) for _ in range(40)]
        time.sleep(0.3)
        p.terminate()   # stopping while accepting is paused, connections open
        rc = p.wait(15)
        check(rc == 0, "exit %s on SIGTERM while full: %s" % (rc, open(d + "/log").read()[-300:]))
        for x in idle + more:
            x.close()
    finally:
        p.terminate()
        p.wait(10)


@case("hostile: a body shorter than its Content-Length does not hold others up")
def _():
    c = ctx()
    raw = socket.create_connection((HOST, PORT), timeout=10)
    s = c.wrap_socket(raw, server_hostname="localhost")
    s.sendall(("POST /api/results HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer %s\r\n"
               "Content-Length: 100000\r\n\r\n{\"schema\":" % token()).encode())
    j = curl_json("/self-check.json")
    check(j["verdict"] == "unknown", j)
    s.settimeout(10)
    t = time.time()
    try:
        data = s.recv(100)
    except (socket.timeout, OSError, ssl.SSLError):
        data = b"timeout"
    check(data != b"timeout", "the connection was not closed")
    log("closed after %.1f s: %r" % (time.time() - t, data[:40]))
    s.close()
    alive()


def proc_kib(pid, field):
    for line in open("/proc/%d/status" % pid):
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def slow_uploads(port, n, each, hdr):
    """n TLS connections that each send POST headers (Content-Length 4000000, hdr for the
    token line) and then `each` bytes of body in 64 KiB steps, round by round, never finishing.
    Returns (the sockets still open, bytes the server took)."""
    socks = []
    for i in range(n):
        s = ctx().wrap_socket(socket.create_connection((HOST, port), timeout=10),
                              server_hostname="localhost")
        s.sendall(("POST /api/results HTTP/1.1\r\nHost: localhost\r\n%sContent-Type: "
                   "application/json\r\nContent-Length: 4000000\r\n\r\n" % hdr(i)).encode())
        socks.append(s)
    chunk, sent, live = b"x" * 65536, 0, list(socks)
    for _ in range(each // len(chunk)):
        for s in list(live):
            try:
                s.sendall(chunk)
                sent += len(chunk)
            except (OSError, ssl.SSLError):   # closed by serve: over the budget
                live.remove(s)
                s.close()
        time.sleep(0.02)
    return live, sent


def closed(s):
    """Whether serve closed this TLS socket (it answers nothing before a body is whole)."""
    s.setblocking(False)
    try:
        return s.recv(1) == b""
    except (ssl.SSLWantReadError, BlockingIOError):
        return False
    except (OSError, ssl.SSLError):
        return True
    finally:
        s.settimeout(10)


@case("hostile: 200 slow unauthenticated 4 MB uploads: memory bounded, others served, budget freed")
def _():
    port = PORT + 5
    d = tempfile.mkdtemp(dir=W, prefix="budget.")
    # the default budget (64 MiB); a longer idle timeout so the slow uploads are not timed out;
    # an ASan build: freed memory is not held back, so its RSS is comparable
    p = spawn_serve(port, d + "/store.sqlite", ["--token-file", W + "/token", "--idle-timeout", "20"], d + "/log",
                    env=dict(os.environ, ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "detect_leaks=0")
                             + ":quarantine_size_mb=0"))
    live = []
    try:
        check(wait_port(HOST, port, 20, p), "did not start")
        st, _ = request_at(port, "GET", "/")
        check(st == 200, "GET / before: %d" % st)
        base = proc_kib(p.pid, "VmRSS")
        wrong = "x" * len(token())
        live, sent = slow_uploads(port, 200, 1024 * 1024,
                                  lambda i: "Authorization: Bearer %s\r\n" % wrong if i % 2 else "")
        hwm = proc_kib(p.pid, "VmHWM")
        log("200 uploads: %d MiB taken, %d still open; RSS %d -> high-water %d MiB"
            % (sent >> 20, len(live), base >> 10, hwm >> 10))
        # meanwhile: the site and a real submission
        st, _ = request_at(port, "GET", "/")
        check(st == 200, "GET / during: %d" % st)
        st, b = request_at(port, "POST", "/api/results", json.dumps(results_doc("m-budget-1")), auth())
        check(st == 201, "submission during: %s %r" % (st, b[:200]))
        check(p.poll() is None, "serve exited")
        time.sleep(0.5)   # a slow (ASan) serve may still be reading what the kernel holds
        hwm = proc_kib(p.pid, "VmHWM")
        # unbounded, the ~200 MiB taken would all be held; bounded, 64 MiB and overhead (an
        # ASan build allocates about twice what it is asked for, and its shadow)
        limit = 112 * 1024 * (2 if ASAN else 1)
        check(hwm - base < limit, "high-water %d MiB over a start of %d MiB (at most %d), %d MiB taken"
              % ((hwm - base) >> 10, base >> 10, limit >> 10, sent >> 20))
        text = open(d + "/log").read()
        check("budget" in text, "no log line for the closed uploads: " + text[-300:])
        for s in live:
            s.close()
        live = []
        time.sleep(1)
        # freed again: 40 x 1 MiB fits in what the closed ones held
        live, sent = slow_uploads(port, 40, 1024 * 1024, lambda i: "")
        st, _ = request_at(port, "GET", "/")
        check(st == 200, "GET / after: %d" % st)
        time.sleep(0.5)
        cut = 40 - len(live) + sum(1 for s in live if closed(s))
        check(cut == 0, "%d of 40 uploads closed after the first 200 went away: the budget was "
              "not given back" % cut)
        for s in live:
            s.close()
        live = []
        st, b = request_at(port, "POST", "/api/results", json.dumps(results_doc("m-budget-2")), auth())
        check(st == 201, "submission after: %s %r" % (st, b[:200]))
        check(p.poll() is None, "serve exited")
    finally:
        for s in live:
            s.close()
        p.terminate()
        p.wait(10)


@case("check --submit posts the results it wrote; a failed submission keeps them, exit nonzero")
def _():
    out = tempfile.mkdtemp(dir=W, prefix="check.")
    before = int(sh("sqlite3", W + "/store.sqlite", "select count(*) from results").stdout)
    url = "https://localhost:%d/" % PORT
    r = sh(BIN, "check", "--no-defaults", "--timeout", "5", "--out", out, "--submit", url,
           "--token-file", W + "/token", "--cafile", W + "/ca.pem", check_rc=False, timeout=60)
    check(r.returncode in (0, 1), "exit %d: %s" % (r.returncode, r.stderr[-300:]))
    check(b"submitted" in r.stderr and b"not submitted" not in r.stderr, r.stderr[-300:])
    after = int(sh("sqlite3", W + "/store.sqlite", "select count(*) from results").stdout)
    check(after == before + 1, (before, after))
    bad = W + "/bad-token"
    with open(bad, "w") as f:
        f.write("not-the-token-0123456789\n")
    for tok, u in ((bad, url), (W + "/token", "https://localhost:%d/" % (PORT + 7))):
        out2 = tempfile.mkdtemp(dir=W, prefix="check.")
        r = sh(BIN, "check", "--no-defaults", "--timeout", "5", "--out", out2, "--submit", u,
               "--token-file", tok, "--cafile", W + "/ca.pem", check_rc=False, timeout=60)
        check(r.returncode != 0, "exit 0 although not submitted")
        check(b"not submitted" in r.stderr and b"kept in" in r.stderr, r.stderr[-300:])
        check(os.path.exists(out2 + "/results.json"), "results.json not kept")


@case("runs unprivileged (nobody), as the systemd unit's DynamicUser does")
def _():
    d = tempfile.mkdtemp(dir=W, prefix="nobody.")
    for f in ("srv.pem", "srv.key", "token"):
        shutil.copy(W + "/" + f, d + "/" + f)
    os.chmod(W, 0o755)
    sh("chown", "-R", "65534:65534", d)
    logf = open(d + "/log", "w")
    p = subprocess.Popen(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", BIN, "serve",
                          "--listen", "127.0.0.1:%d" % (PORT + 2), "--tls-cert", d + "/srv.pem",
                          "--tls-key", d + "/srv.key", "--token-file", d + "/token", "--store",
                          d + "/store.sqlite", "--templates", REPO + "/templates", "--kb", REPO + "/kb"],
                         stdout=logf, stderr=logf)
    try:
        check(wait_port(HOST, PORT + 2, 20, p), "did not start: " + open(d + "/log").read()[-300:])
        r = sh("curl", "-sS", "--cacert", W + "/ca.pem", "https://localhost:%d/self-check.json" % (PORT + 2))
        check(json.loads(r.stdout)["verdict"] == "unknown", r.stdout)
        check(os.stat(d + "/store.sqlite").st_uid == 65534, "store not owned by nobody")
    finally:
        p.terminate()
        p.wait(10)


@case("systemd units (as make install writes them) pass systemd-analyze verify")
def _():
    if not shutil.which("systemd-analyze"):
        raise AssertionError("systemd-analyze not found (Debian: systemd)")
    d = tempfile.mkdtemp(dir=W, prefix="units.")
    bindir = os.path.dirname(BIN)
    units = []
    for u in ("torready-serve.service", "torready-check.service"):
        text = open(REPO + "/dist/systemd/" + u + ".in").read().replace("@BINDIR@", bindir)
        open(d + "/" + u, "w").write(text)
        units.append(d + "/" + u)
    shutil.copy(REPO + "/dist/systemd/torready-check.timer", d)
    units.append(d + "/torready-check.timer")
    r = sh("systemd-analyze", "verify", "--man=no", *units, check_rc=False, timeout=60)
    msgs = [l for l in r.stderr.decode().splitlines() if l.strip()]
    check(not msgs and r.returncode == 0, msgs[:5])
    check("DynamicUser=yes" in open(units[0]).read(), "serve unit not unprivileged")


@case("restart: nothing lost")
def _():
    before = summary()
    rc = stop_serve()
    check(rc == 0, "serve exited %s on SIGTERM" % rc)
    start_serve()
    after = summary()
    check(before["machines"] == after["machines"] and before["levels"] == after["levels"], (before, after))
    st, _ = request("GET", "/")
    check(st == 200, st)


stop_serve()
for p in procs:
    try:
        os.killpg(p.pid, signal.SIGTERM)
        p.wait(5)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
subprocess.run(["ip", "addr", "del", "127.0.0.5/32", "dev", "lo"], capture_output=True)
if not failed and not os.environ.get("KEEP"):
    shutil.rmtree(W, ignore_errors=True)
else:
    print("# work directory kept: " + W)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
