#!/usr/bin/env python3
"""Writes the generated seed corpora of the libFuzzer targets into OUT/TARGET/ (default
build-fuzz/seeds/) from data already in the repository (the real CERTS cell in
tests/unit/torcell_fixtures.h, kb/, templates/, the targets spec's examples):
    tests/fuzz/seeds.py [--out DIR]
tests/fuzz/run calls it before every smoke and long run, so the seeds follow kb/ and
templates/ as they change and are never committed. Hand-made and captured seeds live in
tests/fuzz/seeds/TARGET/ and are replayed beside these.
    tests/fuzz/seeds.py --spec DIR
writes the Mustache spec's tests as tpl seeds into tests/fuzz/seeds/tpl/spec-NNN instead:
the spec is not part of the repository, so those seeds are committed (refresh them by hand).
The seeds are small on purpose; the fuzzers grow their own corpora in build-fuzz/corpus/."""
import argparse
import glob
import hashlib
import json
import os
import re
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(REPO, "build-fuzz", "seeds")  # set by main()


def put(target, data, name=None):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    name = name or hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def c_array(header, name):
    text = open(header).read()
    m = re.search(r"%s\[\d+\]\s*=\s*\{(.*?)\};" % name, text, re.S)
    return bytes(int(x, 16) for x in re.findall(r"0x([0-9a-fA-F]{2})", m.group(1)))


# ------------------------------------------------------------------ Tor cells

def var_cell(cmd, payload, circ_len=4):
    circ = b"\0" * circ_len
    return circ + bytes([cmd]) + struct.pack(">H", len(payload)) + payload


def fixed_cell(cmd, payload, circ_len=4):
    return b"\0" * circ_len + bytes([cmd]) + payload.ljust(509, b"\0")


def netinfo(addr=b"\x7f\0\0\x01"):
    return (struct.pack(">I", 1795744348) + b"\x04\x04" + addr + b"\x01\x04\x04" + addr)


def torcell_seeds():
    hdr = os.path.join(REPO, "tests", "unit", "torcell_fixtures.h")
    certs = c_array(hdr, "real_tor_certs")
    versions = var_cell(7, b"\0\x03\0\x04\0\x05", 2)
    challenge = var_cell(130, b"\x11" * 32 + b"\0\x02\0\x01\0\x03")
    flight = versions + var_cell(128, b"\0" * 40) + var_cell(129, certs) + challenge + \
        fixed_cell(8, netinfo())
    put("torcell", b"\x02" + flight, "real-flight-v5")
    put("torcell", b"\x00" + flight, "real-flight-future-clock")
    put("torcell", b"\x03" + flight, "real-flight-no-peer")
    v3 = var_cell(7, b"\0\x03", 2) + var_cell(129, certs, 2) + fixed_cell(8, netinfo(), 2)
    put("torcell", b"\x02" + v3, "flight-v3")
    v6 = b"\x20\x01\x0d\xb8" + b"\0" * 11 + b"\x01"
    ni6 = struct.pack(">I", 0) + b"\x06\x10" + v6 + b"\x02\x06\x10" + v6 + b"\x04\x04\x7f\0\0\x01"
    put("torcell", b"\x02" + versions + fixed_cell(8, ni6), "netinfo-ipv6")
    put("torcell", b"\x02" + versions + var_cell(129, b"\x02\x01\x00\x01\x30\x02\x00\x00"),
        "certs-tiny")
    put("torcell", b"\x02" + versions + var_cell(129, b"\xff" + b"\x01\xff\xff"), "certs-claims-much")
    put("torcell", b"\x02" + versions + b"\0\0\0\0\x81\xff\xff" + certs[:100], "certs-65535-partial")


# ------------------------------------------------------------------ bridge lines and flags

FP = "4C1A2B3C4D5E6F708192A3B4C5D6E7F801234567"


def bridge_seeds():
    lines = [
        f"127.0.0.1:9001 {FP}",
        f"Bridge 127.0.0.1:443 {FP}",
        f"[::1]:443 {FP}",
        f"obfs4 127.0.0.1:19002 {FP} cert=ssH+9rP8dG2NLDN2XuFw63hIO/9MNNinLmxQDpVa+7kTOa9/m+tGWT1SmSYpQ9uTBGa6Hw iat-mode=0",
        f"webtunnel [2001:db8::1]:443 {FP} url=https://example.org/path ver=0.0.1",
        "snowflake 192.0.2.3:80 2B280B23E1107BB62ABFC40DDCC8824814F80A72 fingerprint=2B280B23E1107BB62ABFC40DDCC8824814F80A72 url=https://1098762253.rsc.cdn77.org/ fronts=app.datapacket.com,www.datapacket.com ice=stun:stun.l.google.com:19302,stun:stun.antisip.com:3478 utls-imitate=hellorandomizedalpn",
        "meek_lite 192.0.2.20:80 url=https://1603026938.rsc.cdn77.org front=www.phpmyadmin.net",
        f"127.0.0.1:0 {FP}", "300.1.1.1:1", "[::1:443", "host.example:65536",
    ]
    for i, line in enumerate(lines):
        put("bridge", b"\x00" + line.encode(), f"bridge-{i:02d}")
    dirauths = [f"moria1=128.31.0.39:9201/9231:{FP}", f"v6=[2001:db8::1]:443:{FP}",
                f"x=1.2.3.4:1:{FP[:39]}", "=:"]
    for i, s in enumerate(dirauths):
        put("bridge", b"\x01" + s.encode(), f"dirauth-{i:02d}")
    pins = ["valid.test=sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            "valid.test:8443=sha256//AAAA;sha256//BBBB", "[::1]:1=sha256//"]
    for i, s in enumerate(pins):
        put("bridge", b"\x02" + s.encode(), f"pin-{i:02d}")
    for i, s in enumerate(["[::1]:443", "127.0.0.1", "name.example:80", f"${FP.lower()}",
                           " ".join(FP[k:k + 4] for k in range(0, 40, 4))]):
        put("bridge", b"\x03" + s.encode(), f"endpoint-{i:02d}")


# ------------------------------------------------------------------ YAML, templates, JSON

TARGETS_EXAMPLE = f"""timeout: 10
dirauths:
  - name: moria1
    or: 128.31.0.39:9201
    dir: 128.31.0.39:9231
    fingerprint: 1A25C6358DB91342AA51720A5038B72742732498
bridges:
  - "127.0.0.1:19001 {FP}"
  - "obfs4 127.0.0.1:19002 {FP} cert=AbC iat-mode=0"
sites:
  - https: https://valid.test:8443/
    http: http://valid.test:8080/
pins:
  - host: valid.test
    port: 8443
    pin-sha256: ["Base64=="]
    issuers: ["Test Intermediate CA"]
tls:
  cafile: ca.pem
  resolve: ["valid.test:8443:127.0.0.1"]
socks: 127.0.0.1:9050
mail:
  - smtp.example.edu:587
tor:
  binary: /usr/sbin/tor
  pt: /usr/bin/obfs4proxy
  torrc:
    - "TestingTorNetwork 1"
"""


def yaml_seeds():
    put("targets", TARGETS_EXAMPLE, "spec-example")
    put("targets", "a: &x [*x]\n", "alias-loop")
    put("targets", "bridges: &b\n  - x\nsites: *b\n", "alias")
    for p in glob.glob(os.path.join(REPO, "kb", "targets*.yaml")) + \
            glob.glob(os.path.join(REPO, "tests", "unit", "kb-good", "targets*.yaml")):
        put("targets", open(p, "rb").read(), "file-" + os.path.basename(p))
    kb_files = glob.glob(os.path.join(REPO, "kb", "*.yaml")) + \
        glob.glob(os.path.join(REPO, "tests", "unit", "kb-good", "*.yaml")) + \
        glob.glob(os.path.join(REPO, "tests", "unit", "kb-bad", "*.yaml"))
    for p in kb_files:
        name = os.path.basename(p)
        if name.startswith("targets"):
            continue
        text = open(p, "rb").read()
        # The harness's file is fuzz-entry.yaml: the entry's id must say so to load fully.
        text = re.sub(rb"(?m)^id:.*$", b"id: fuzz-entry", text, count=1)
        put("kb", text, "kb-" + os.path.basename(os.path.dirname(p)) + "-" + name)


def tpl_seeds():
    for p in glob.glob(os.path.join(REPO, "templates", "*.mustache")):
        put("tpl", open(p, "rb").read(), "tmpl-" + os.path.basename(p))
    base = os.path.join(REPO, "templates", "base.mustache")
    if os.path.exists(base):
        for p in glob.glob(os.path.join(REPO, "templates", "report*.mustache")):
            put("tpl", open(p, "rb").read() + b"\0" + open(base, "rb").read(),
                "with-base-" + os.path.basename(p))
    # Self-including partials: linear here. A fan-out ({{#list}}{{>p}}{{/list}} in p) is
    # bounded by the engine at 1e6 expansions, seconds per input: not a seed.
    put("tpl", "{{>p}}\0x{{>p}}", "partial-recursion")
    put("tpl", "{{<p}}{{$b}}x{{/b}}{{/p}}\0{{$b}}{{<p}}{{/p}}{{/b}}", "parent-recursion")
    put("tpl", "{{>*dyn}}{{obj.a.b.c}}{{{name}}}{{&name}}{{=<% %>=}}<%name%>", "mixed")


def spec_seeds(spec_dir):
    """The committed spec-NNN tpl seeds, from the Mustache spec's JSON files."""
    for old in glob.glob(os.path.join(OUT, "tpl", "spec-*")):
        os.remove(old)
    n = 0
    for p in sorted(glob.glob(os.path.join(spec_dir, "*.json"))):
        if "lambdas" in p:
            continue
        for t in json.load(open(p))["tests"]:
            parts = list(t.get("partials", {}).values())
            data = t["template"].encode()
            if parts:
                data += b"\0" + parts[0].encode()
            put("tpl", data, f"spec-{n:03d}")
            n += 1
    if n == 0:
        raise SystemExit(f"seeds.py: no Mustache spec tests in {spec_dir}")


def results_seeds():
    doc = {
        "schema": "torready-results/1",
        "tool": {"name": "torready", "version": "0.1.0"},
        "started": "2026-11-27T10:00:00Z", "finished": "2026-11-27T10:00:04Z",
        "duration_ms": 4012, "deadline_ms": 10000,
        "host": {"os": "Debian GNU/Linux 12", "tor": "0.4.9.11", "pt": "obfs4proxy 0.0.14"},
        "contacted": ["128.31.0.39:9201", "valid.test:8443", "[::1]:443"],
        "results": [
            {"probe": "tor.bridge", "target": f"obfs4 127.0.0.1:19002 {FP}", "name": "",
             "status": "pass", "code": "ok", "summary": "Tor bridge answered", "duration_ms": 41,
             "evidence": {"transport": "obfs4", "fingerprint": FP}},
            {"probe": "tor.dirauth", "target": "128.31.0.39:9201", "name": "<script>moria1",
             "status": "fail", "code": "timeout", "summary": "No answer", "duration_ms": 10000,
             "evidence": {"phase": "connect", "cert_types": [1, 2, 4]}},
            {"probe": "net.baseline", "target": "https://example.org/", "name": "",
             "status": "fail", "code": "offline", "summary": "none answered"},
            {"probe": "https.hsts", "target": "https://valid.test:8443/", "name": "",
             "status": "warn", "code": "max_age_below_6_months", "summary": "short"},
        ],
    }
    put("results", json.dumps(doc, indent=2), "full")
    doc2 = dict(doc, interrupted=True, results=doc["results"][:1])
    put("results", json.dumps(doc2), "interrupted")
    put("results", json.dumps({"schema": "torready-results/1", "results": []}), "empty")
    put("results", '{"schema": "torready-results/1", "results": [{"probe": "x"}]}', "bad-item")


def hsts_seeds():
    for i, v in enumerate([
            "max-age=31536000; includeSubDomains; preload", "max-age=0", "MAX-AGE=\"600\"",
            "max-age=31536000;includeSubDomains", " max-age = 10 ; foo=bar ; baz",
            "max-age=99999999999999999999999", "max-age=1; max-age=2", "includeSubDomains",
            "max-age=10; preload=1", ";;", "max-age=\"1\\\"0\"", "max-age=-1", ""]):
        put("hsts", v, f"hsts-{i:02d}")


def ptproto_seeds():
    good = ("VERSION 1\nCMETHOD obfs4 socks5 127.0.0.1:37215\nCMETHOD meek_lite socks5 [::1]:1\n"
            "LOG SEVERITY=notice MESSAGE=\"hello\"\nSTATUS TRANSPORT=obfs4 X=Y\nCMETHODS DONE\n")
    put("ptproto", b"\0" + good.encode(), "lines-ok")
    for i, t in enumerate(["VERSION-ERROR no-version\n", "VERSION 1\nENV-ERROR no TOR_PT_STATE\n",
                           "VERSION 1\nCMETHOD-ERROR obfs4 cannot bind\nCMETHODS DONE\n",
                           "VERSION 2\n", "CMETHOD obfs4 socks5 127.0.0.1:1\n",
                           "VERSION 1\nCMETHOD obfs4 socks4 1.2.3.4:99999\nPROXY DONE\nPROXY-ERROR x\n",
                           "VERSION 1\nCMETHOD\nCMETHODS DONE extra\n"]):
        put("ptproto", b"\0" + t.encode(), f"lines-{i:02d}")
    put("ptproto", b"\x01cert=ssH+9rP8dG2NLDN2XuFw63hIO/9MNNinLmxQDpVa+7kTOa9/m+tGWT1SmSYpQ9uTBGa6Hw\n"
        b"iat-mode=0", "auth-obfs4")
    put("ptproto", b"\x01a;b=c\\d=e;f\nurl=https://example.org/\n" + b"k=" + b"v" * 400, "auth-escapes-long")


def torctl_seeds():
    put("torctl", "250-version=0.4.9.11\r\n250 OK\r\n"
        "650 STATUS_CLIENT NOTICE BOOTSTRAP PROGRESS=15 TAG=handshake_done SUMMARY=\"Handshake with a relay done\"\r\n"
        "650 STATUS_CLIENT WARN BOOTSTRAP PROGRESS=5 TAG=conn SUMMARY=\"Connecting\" WARNING=\"Connection refused\" "
        "REASON=CONNECTREFUSED COUNT=3 RECOMMENDATION=ignore HOSTID=\"4C1A\" HOSTADDR=\"127.0.0.1:1\"\r\n",
        "events")
    put("torctl", "250+status/bootstrap-phase=\r\nNOTICE BOOTSTRAP PROGRESS=100 TAG=done SUMMARY=\"Done\"\r\n"
        "..dot\r\n.\r\n250 OK\r\n515 Authentication failed: bad\r\n", "data-block")
    put("torctl", "PORT=127.0.0.1:9051\n", "port-file")
    put("torctl", "Nov 27 10:00:00.000 [notice] Bootstrapped 45% (requesting_descriptors): Asking\n"
        "Nov 27 10:00:01.000 [notice] Bootstrapped 100% (done): Done\n", "log-lines")
    put("torctl", "250-a\r\n251 b\r\n", "code-change")


def stun_seeds():
    txid = bytes(range(1, 13))
    xor = struct.pack(">HH", 0x0001, 0x2112 ^ 40000) + bytes(a ^ b for a, b in zip(b"\x7f\0\0\x01", b"\x21\x12\xa4\x42"))
    attr = struct.pack(">HH", 0x0020, 8) + xor
    put("stun", b"\x01\x01" + struct.pack(">H", len(attr)) + b"\x21\x12\xa4\x42" + txid + attr, "success-xor")
    mapped = struct.pack(">HH", 0x0001, 8) + struct.pack(">HH", 1, 3478) + b"\x7f\0\0\x01"
    put("stun", b"\x01\x01" + struct.pack(">H", len(mapped)) + b"\x21\x12\xa4\x42" + txid + mapped + b"\0",
        "success-mapped-odd")
    err = struct.pack(">HH", 0x0009, 4 + 12) + b"\0\0\x04\x01" + b"Unauthorized"
    put("stun", b"\x01\x11" + struct.pack(">H", len(err)) + b"\x21\x12\xa4\x42" + txid + err, "error-401")


def mixed_seeds():
    put("mixed", '<!doctype html><html><head><base href="http://cdn.example/x/">'
        '<script src="http://a.example/s.js"></script><link rel=stylesheet href="//b.example/c.css">'
        '</head><body><img src="http://c.example/i.png"><iframe src="http://d.example/"></iframe>'
        '<form action="http://e.example/post"></form><video src="http://f.example/v.mp4"></video>'
        '<object data="http://g.example/o"></object><img srcset="http://h.example/1.png 1x">'
        '<a href="http://i.example/">link</a></body></html>', "page")
    put("mixed", "<p>" + "<div>" * 500 + "x", "deep")
    put("mixed", "<img src='relative.png'><script src=\"https://ok.example/s.js\"></script>", "clean")


def certinfo_seeds():
    hdr = os.path.join(REPO, "tests", "unit", "torcell_fixtures.h")
    put("certinfo", b"\0" + c_array(hdr, "real_tor_peer"), "tor-link-cert")
    certs = c_array(hdr, "real_tor_certs")
    # The first certificate in the CERTS payload: type(1) len(2) DER.
    n = struct.unpack(">H", certs[2:4])[0]
    put("certinfo", b"\0" + certs[4:4 + n], "tor-cert-1")
    sct = b"\0" + b"\x11" * 32 + struct.pack(">Q", 1700000000000) + b"\0\0" + b"\x04\x03\0\x02\x30\x00"
    lst = struct.pack(">H", len(sct)) + sct
    put("certinfo", b"\x01" + struct.pack(">H", len(lst)) + lst, "sct-list")


GENERATED = ("torcell", "bridge", "targets", "kb", "tpl", "results", "hsts", "ptproto", "torctl",
             "stun", "mixed", "certinfo")


def main():
    global OUT
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=OUT, help="where TARGET/ folders go (default %(default)s)")
    ap.add_argument("--spec", metavar="DIR",
                    help="write only the committed spec-NNN tpl seeds from the Mustache spec in DIR")
    args = ap.parse_args()
    if args.spec:
        OUT = HERE + "/seeds"
        spec_seeds(args.spec)
        return
    OUT = args.out
    for t in GENERATED:
        shutil.rmtree(os.path.join(OUT, t), ignore_errors=True)
    torcell_seeds()
    bridge_seeds()
    yaml_seeds()
    tpl_seeds()
    results_seeds()
    hsts_seeds()
    ptproto_seeds()
    torctl_seeds()
    stun_seeds()
    mixed_seeds()
    certinfo_seeds()
    for t in GENERATED:
        print(f"{t}: {len(os.listdir(os.path.join(OUT, t)))} seeds")


if __name__ == "__main__":
    main()
