#!/usr/bin/env python3
"""Small loopback servers for the Tor reachability tests (python3 stdlib only).

usage: tor-helper.py --env FILE MODE...

Modes (each gets a free port on 127.0.0.1; FILE gets TORHELPER_<MODE>_PORT='N' lines):
  relay          an HTTP/1.1 server behind the webtunnel test front (nginx proxies to it):
                 "GET /relay/HOST/PORT" with "Upgrade: websocket" is answered
                 "101 Switching Protocols", and from then on bytes are relayed to HOST:PORT
                 (a loopback address only: 127.0.0.0/8 or ::1) — as a webtunnel server relays
                 to its bridge. Any other request gets 404.
  dir-ok         a Tor DirPort look-alike: GET /tor/server/authority answers 200 with a
                 router descriptor ("router ..."); other paths 404.
  dir-503        answers every request "503 Service Unavailable" (a busy directory).
  dir-html       answers every request 200 with an HTML page (a captive portal).
The process serves until SIGTERM.
"""
import argparse
import ipaddress
import os
import signal
import socket
import socketserver
import sys
import threading

DESCRIPTOR = (
    "router torreadydir 127.0.0.1 9001 0 9030\n"
    "identity-ed25519\n-----BEGIN ED25519 CERT-----\nAQQABvIFAQ==\n-----END ED25519 CERT-----\n"
    "platform Tor 0.4.9.11 on Linux\n"
    "proto Cons=1-2 Desc=1-2 DirCache=2 Link=1-5 Relay=1-4\n"
    "published 2026-11-27 10:00:00\n"
    "fingerprint 1A25 C635 8DB9 1342 AA51 720A 5038 B727 4273 2498\n"
    "bandwidth 1073741824 1073741824 0\n"
    "router-signature\n-----BEGIN SIGNATURE-----\nAAAA\n-----END SIGNATURE-----\n"
)


def read_head(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk or len(data) > 65536:
            return None, b""
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    return head.decode("latin-1"), rest


def headers_of(head):
    out = {}
    for line in head.split("\r\n")[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            out[k.strip().lower()] = v.strip()
    return out


def pump(src, dst):
    try:
        while True:
            b = src.recv(65536)
            if not b:
                break
            dst.sendall(b)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def loopback(host):
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Relay(socketserver.BaseRequestHandler):
    def handle(self):
        conn = self.request
        head, rest = read_head(conn)
        if head is None:
            return
        parts = head.split("\r\n", 1)[0].split(" ")
        path = parts[1] if len(parts) > 1 else ""
        h = headers_of(head)
        bits = path.split("/")
        ok = (len(bits) == 4 and bits[1] == "relay" and bits[3].isdigit() and loopback(bits[2])
              and h.get("upgrade", "").lower() == "websocket")
        if not ok:
            conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 10\r\nConnection: close\r\n\r\nnot found\n")
            return
        try:
            up = socket.create_connection((bits[2], int(bits[3])), timeout=5)
        except OSError:
            conn.sendall(b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        up.settimeout(None)
        conn.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
        if rest:
            up.sendall(rest)
        t = threading.Thread(target=pump, args=(up, conn), daemon=True)
        t.start()
        pump(conn, up)
        t.join(timeout=5)
        up.close()


def answer(conn, status, ctype, body):
    body = body.encode()
    conn.sendall((f"HTTP/1.0 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {len(body)}\r\n"
                  "Connection: close\r\n\r\n").encode() + body)


class DirOk(socketserver.BaseRequestHandler):
    def handle(self):
        head, _ = read_head(self.request)
        if head is None:
            return
        path = head.split("\r\n", 1)[0].split(" ")[1:2]
        if path == ["/tor/server/authority"]:
            answer(self.request, "200 OK", "text/plain", DESCRIPTOR)
        else:
            answer(self.request, "404 Not found", "text/plain", "Not found\n")


class Dir503(socketserver.BaseRequestHandler):
    def handle(self):
        if read_head(self.request)[0] is not None:
            answer(self.request, "503 Directory busy, try again later", "text/plain", "")


class DirHtml(socketserver.BaseRequestHandler):
    def handle(self):
        if read_head(self.request)[0] is not None:
            answer(self.request, "200 OK", "text/html",
                   "<html><body><h1>Please log in to use this network</h1></body></html>\n")


HANDLERS = {"relay": Relay, "dir-ok": DirOk, "dir-503": Dir503, "dir-html": DirHtml}


class Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--env", required=True)
    ap.add_argument("modes", nargs="+", choices=sorted(HANDLERS))
    args = ap.parse_args()
    lines = []
    for mode in args.modes:
        srv = Server(("127.0.0.1", 0), HANDLERS[mode])
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        var = "TORHELPER_" + mode.upper().replace("-", "_") + "_PORT"
        lines.append(f"{var}='{srv.server_address[1]}'\n")
    tmp = args.env + ".tmp"
    with open(tmp, "w") as f:
        f.writelines(lines)
    os.rename(tmp, args.env)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.pause()


if __name__ == "__main__":
    main()
