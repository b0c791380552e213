#!/usr/bin/env python3
"""Misbehaving TCP peers for the tests (python3 stdlib only), one listener per mode, on
loopback, running until killed (SIGTERM/SIGINT end it cleanly).

usage: hostile.py [--host 127.0.0.1] [--env FILE] MODE[=PORT] ...

Modes (PORT 0 or omitted = the kernel picks a free one):
  silent   accepts and never sends a byte; keeps the connection open until the client closes
  garbage  sends 4 KiB of random bytes (never a plausible TLS record: the first byte is not
           0x14-0x18), then stays silent until the client closes
  close    accepts and closes at once (FIN)
  drip     sends the 5-byte header of a 16 KiB TLS handshake record, then one byte a second
           forever: a client waiting for the record never gets it, and a per-read timeout
           that restarts on every byte never fires (only a real deadline ends it)
  reset    accepts and closes with SO_LINGER 0 (RST instead of FIN); on loopback a client may
           see "connection refused" or "reset" depending on timing
  closed   binds the port and never listens: connects are refused, and while this process
           runs nobody else can take the port

Modes that speak TLS first (a throwaway self-signed certificate made with `openssl req` at
start, or --cert/--key), then misbehave inside it:
  tls-silent        completes the TLS handshake, then never sends a byte
  tls-garbage       after the handshake sends 64 KiB of junk that is no Tor cell
  tls-certs-huge    answers VERSIONS properly, then sends the header of a CERTS cell that
                    claims 65,535 bytes and a few bytes of it, and stops (stays open)
  tls-certs-many    answers VERSIONS, then a complete flight whose CERTS cell carries 100
                    certificates (the TLS certificate again and again), AUTH_CHALLENGE, NETINFO
  tls-padding       answers VERSIONS, then VPADDING cells forever (a client that keeps what
                    it skips runs out of memory; one with a deadline just times out)
  tls-drip          answers VERSIONS one byte a second
Modes that break the TLS handshake itself (no certificate needed):
  tls-close-mid     reads the ClientHello, sends the first bytes of a handshake record, closes
  tls-reset-mid     reads the ClientHello, then resets the connection (RST)
HTTP modes; each has an https- twin that speaks TLS first (https-endless-header, ...):
  http-endless-header  "200 OK" then header lines forever, never the blank line
  http-redirect-loop   every path redirects (301) to the other of /loop-a and /loop-b
  http-huge            "200 OK" with Content-Length 1 GiB, streamed from one 64 KiB buffer
                       (never stored) until the client gives up
  http-slow-headers    one header byte a second (a slow-loris server)

Run as a pluggable transport instead (`hostile.py --pt MODE`, started by a client such as
torready with TOR_PT_* in its environment; tests/peers/hostile-proto.sh writes one small
wrapper script per mode, since a PT is started without arguments):
  socks-garbage     prints VERSION 1 / CMETHOD ... / CMETHODS DONE for every requested
                    transport, then answers each SOCKS greeting with junk
  socks-silent      the same, but its SOCKS port never answers
  no-done           prints VERSION 1 and then nothing (never CMETHODS DONE)
  version-error     prints VERSION-ERROR no-version and exits 1
  stdout-flood      prints endless long LOG lines and never CMETHODS DONE
The PT exits when its stdin closes (TOR_PT_EXIT_ON_STDIN_CLOSE) or on SIGTERM.

With --env FILE, once every listener is up it writes FILE (atomically) as shell-style lines
HOSTILE_SILENT_PORT='N', HOSTILE_GARBAGE_PORT, HOSTILE_CLOSE_PORT, HOSTILE_DRIP_PORT,
HOSTILE_RESET_PORT, and CLOSED_PORT for `closed`; HOSTILE_HOST too. Other modes give
HOSTILE_<MODE>_PORT with dashes as underscores (HOSTILE_TLS_CERTS_HUGE_PORT, ...).
"""
import argparse
import os
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time

PLAIN_MODES = ("silent", "garbage", "close", "drip", "reset", "closed")
TLS_MODES = ("tls-silent", "tls-garbage", "tls-certs-huge", "tls-certs-many", "tls-padding",
             "tls-drip")
RAW_TLS_MODES = ("tls-close-mid", "tls-reset-mid")
HTTP_KINDS = ("endless-header", "redirect-loop", "huge", "slow-headers")
HTTP_MODES = tuple(f"{p}-{k}" for p in ("http", "https") for k in HTTP_KINDS)
MODES = PLAIN_MODES + TLS_MODES + RAW_TLS_MODES + HTTP_MODES
PT_MODES = ("socks-garbage", "socks-silent", "no-done", "version-error", "stdout-flood")
IO_TIMEOUT = 600    # a connection thread never outlives its client by more than this


def drain_until_closed(conn):
    """Reads and discards until the client closes or the connection fails."""
    try:
        while conn.recv(4096):
            pass
    except OSError:
        pass


def junk(n):
    data = bytearray(os.urandom(n))
    if 0x14 <= data[0] <= 0x18:
        data[0] ^= 0x80
    return bytes(data)


def serve(mode, conn, ctx):
    conn.settimeout(IO_TIMEOUT)
    try:
        if mode in TLS_MODES or mode.startswith("https-"):
            conn = ctx.wrap_socket(conn, server_side=True)
            if mode.startswith("https-"):
                serve_http(mode[len("https-"):], conn)
            else:
                serve_tls(mode, conn)
        elif mode.startswith("http-"):
            serve_http(mode[len("http-"):], conn)
        elif mode in RAW_TLS_MODES:
            conn.recv(16384)   # the ClientHello (or most of it)
            if mode == "tls-close-mid":
                conn.sendall(b"\x16\x03\x03\x02\x00\x02\x00\x01\xfc\x03\x03" + os.urandom(12))
            else:
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        elif mode == "silent":
            drain_until_closed(conn)
        elif mode == "garbage":
            conn.sendall(junk(4096))
            drain_until_closed(conn)
        elif mode == "close":
            pass
        elif mode == "drip":
            conn.sendall(b"\x16\x03\x03\x40\x00")
            while True:
                time.sleep(1)
                conn.sendall(b"\x00")
        elif mode == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except (OSError, ValueError):
        pass  # the client went away (or sent something we cannot read): that is its right
    finally:
        conn.close()


# ---------------------------------------------------------------- Tor cells inside TLS

def var_cell(cmd, payload, circ_len=4):
    return b"\0" * circ_len + bytes([cmd]) + struct.pack(">H", len(payload)) + payload


def fixed_cell(cmd, payload):
    return b"\0\0\0\0" + bytes([cmd]) + payload.ljust(509, b"\0")


VERSIONS_REPLY = var_cell(7, b"\0\x03\0\x04\0\x05", 2)


def read_versions(conn):
    """Reads the client's VERSIONS cell (2-byte circ id): 5 bytes of header, then its payload."""
    head = recv_exact(conn, 5)
    recv_exact(conn, struct.unpack(">H", head[3:5])[0])


def recv_exact(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise OSError("closed")
        data += chunk
    return data


def serve_tls(mode, conn):
    if mode == "tls-silent":
        drain_until_closed(conn)
        return
    if mode == "tls-garbage":
        conn.sendall(junk(65536))
        drain_until_closed(conn)
        return
    read_versions(conn)
    if mode == "tls-drip":
        for b in VERSIONS_REPLY + var_cell(129, b"\x01" * 600):
            conn.sendall(bytes([b]))
            time.sleep(1)
        drain_until_closed(conn)
        return
    conn.sendall(VERSIONS_REPLY)
    if mode == "tls-certs-huge":
        conn.sendall(b"\0\0\0\0\x81\xff\xff" + b"\x02\x01\x02\x48" + b"\x30" * 60)
        drain_until_closed(conn)
    elif mode == "tls-certs-many":
        der = CERT_DER   # an EC certificate: 100 of them fit in one cell
        entries = b"".join(bytes([1 + i % 2]) + struct.pack(">H", len(der)) + der
                           for i in range(100))
        netinfo = struct.pack(">I", int(time.time())) + b"\x04\x04\x7f\0\0\x01" + \
            b"\x01\x04\x04\x7f\0\0\x01"
        conn.sendall(var_cell(129, bytes([100]) + entries) +
                     var_cell(130, b"\x11" * 32 + b"\0\x01\0\x03") + fixed_cell(8, netinfo))
        drain_until_closed(conn)
    elif mode == "tls-padding":
        pad = var_cell(128, b"\0" * 4096) * 16
        while True:
            conn.sendall(pad)


# ---------------------------------------------------------------- HTTP

def read_request(conn):
    """Reads up to the end of the request's headers (or 64 KiB); returns the request path."""
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = conn.recv(4096)
        if not chunk:
            raise OSError("closed")
        data += chunk
    parts = data.split(b"\r\n", 1)[0].split(b" ")
    return parts[1].decode("latin-1") if len(parts) >= 2 else "/"


def serve_http(kind, conn):
    path = read_request(conn)
    if kind == "endless-header":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
        line = b"X-Filler: " + b"a" * 1000 + b"\r\n"
        while True:
            conn.sendall(line * 16)
    elif kind == "redirect-loop":
        # Keep-alive, so a client that follows redirects over one connection keeps looping here.
        while True:
            target = "/loop-b" if path.startswith("/loop-a") else "/loop-a"
            conn.sendall(b"HTTP/1.1 301 Moved Permanently\r\nLocation: " + target.encode() +
                         b"\r\nContent-Length: 0\r\nStrict-Transport-Security: max-age=31536000\r\n\r\n")
            path = read_request(conn)
    elif kind == "huge":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n"
                     b"Strict-Transport-Security: max-age=31536000\r\n\r\n" % (1 << 30))
        block = b"<p>" + b"x" * 65529 + b"</p>\n"
        sent = 0
        while sent < (1 << 30):
            n = min(len(block), (1 << 30) - sent)
            conn.sendall(block[:n])
            sent += n
        drain_until_closed(conn)
    elif kind == "slow-headers":
        for b in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"s" * 100000:
            conn.sendall(bytes([b]))
            time.sleep(1)


def accept_loop(mode, lsock, ctx):
    while True:
        try:
            conn, _ = lsock.accept()
        except OSError:
            return
        threading.Thread(target=serve, args=(mode, conn, ctx), daemon=True).start()


# ---------------------------------------------------------------- certificate

CERT_DER = b""


def tls_context(cert, key):
    """A server context with --cert/--key, or with a throwaway self-signed certificate."""
    global CERT_DER
    tmp = None
    try:
        if not cert:
            tmp = tempfile.mkdtemp(prefix="hostile-tls.")
            cert, key = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
            subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                            "ec_paramgen_curve:prime256v1", "-nodes",
                            "-keyout", key, "-out", cert, "-days", "2", "-subj",
                            "/CN=hostile.test"], check=True, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        with open(cert) as f:
            CERT_DER = ssl.PEM_cert_to_DER_cert(f.read())
        return ctx
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------- as a pluggable transport

def pt_main(mode):
    """Speaks the PT managed protocol on stdout (pt-spec) and misbehaves as told."""
    out = sys.stdout
    if mode == "version-error":
        out.write("VERSION-ERROR no-version\n")
        out.flush()
        return 1
    if mode == "stdout-flood":
        out.write("VERSION 1\n")
        line = "LOG SEVERITY=notice MESSAGE=\"" + "x" * 8000 + "\"\n"
        try:
            while True:
                out.write(line)
        except (BrokenPipeError, OSError):
            return 0
    out.write("VERSION 1\n")
    out.flush()
    lsock = None
    if mode != "no-done":
        lsock = socket.socket()
        lsock.bind(("127.0.0.1", 0))
        lsock.listen(64)
        port = lsock.getsockname()[1]
        wanted = os.environ.get("TOR_PT_CLIENT_TRANSPORTS", "obfs4")
        for t in wanted.split(","):
            out.write(f"CMETHOD {t} socks5 127.0.0.1:{port}\n")
        out.write("CMETHODS DONE\n")
        out.flush()
        kind = "garbage" if mode == "socks-garbage" else "silent"
        threading.Thread(target=accept_loop, args=(kind, lsock, None), daemon=True).start()
    # Until stdin closes (the client went away) or a signal ends us.
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    try:
        while sys.stdin.buffer.read(4096):
            pass
    except OSError:
        pass
    return 0


def parse_spec(spec):
    mode, _, port = spec.partition("=")
    if mode not in MODES:
        raise SystemExit(f"hostile.py: unknown mode {mode!r} (modes: {', '.join(MODES)})")
    try:
        return mode, int(port or 0)
    except ValueError:
        raise SystemExit(f"hostile.py: bad port in {spec!r}")


def env_name(mode):
    if mode == "closed":
        return "CLOSED_PORT"
    return "HOSTILE_" + mode.upper().replace("-", "_") + "_PORT"


def main():
    ap = argparse.ArgumentParser(description="misbehaving TCP peers on loopback")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--env", help="write the chosen ports to this file")
    ap.add_argument("--cert", help="PEM certificate for the TLS modes (default: made at start)")
    ap.add_argument("--key", help="its PEM private key")
    ap.add_argument("--pt", choices=PT_MODES, help="run as a pluggable transport instead")
    ap.add_argument("modes", nargs="*", metavar="MODE[=PORT]")
    args = ap.parse_args()
    if args.pt:
        return pt_main(args.pt)
    if not args.modes:
        ap.error("give at least one MODE")
    if args.host not in ("127.0.0.1", "::1") and not args.host.startswith("127."):
        raise SystemExit("hostile.py: loopback addresses only")
    ctx = None
    if any(m.partition("=")[0] in TLS_MODES or m.startswith("https-") for m in args.modes):
        ctx = tls_context(args.cert, args.key)

    family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    ports = {}
    socks = []  # every socket stays referenced (and so open) while we run
    for spec in args.modes:
        mode, port = parse_spec(spec)
        if mode in ports:
            raise SystemExit(f"hostile.py: mode {mode} given twice")
        s = socket.socket(family, socket.SOCK_STREAM)
        if mode != "closed":
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((args.host, port))
        socks.append(s)
        ports[mode] = s.getsockname()[1]
        if mode != "closed":
            s.listen(64)
            threading.Thread(target=accept_loop, args=(mode, s, ctx), daemon=True).start()
        print(f"hostile.py: {mode} on {args.host}:{ports[mode]}", file=sys.stderr, flush=True)

    if args.env:
        tmp = args.env + ".tmp"
        with open(tmp, "w") as f:
            f.write(f"HOSTILE_HOST='{args.host}'\n")
            for mode, port in ports.items():
                f.write(f"{env_name(mode)}='{port}'\n")
        os.replace(tmp, args.env)

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.wait(3600):
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
