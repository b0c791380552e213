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

With --env FILE, once every listener is up it writes FILE (atomically) as shell-style lines
HOSTILE_SILENT_PORT='N', HOSTILE_GARBAGE_PORT, HOSTILE_CLOSE_PORT, HOSTILE_DRIP_PORT,
HOSTILE_RESET_PORT, and CLOSED_PORT for `closed`; HOSTILE_HOST too.
"""
import argparse
import os
import signal
import socket
import struct
import sys
import threading
import time

MODES = ("silent", "garbage", "close", "drip", "reset", "closed")


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


def serve(mode, conn):
    try:
        if mode == "silent":
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
    except OSError:
        pass  # the client went away: that is its right
    finally:
        conn.close()


def accept_loop(mode, lsock):
    while True:
        try:
            conn, _ = lsock.accept()
        except OSError:
            return
        threading.Thread(target=serve, args=(mode, conn), daemon=True).start()


def parse_spec(spec):
    mode, _, port = spec.partition("=")
    if mode not in MODES:
        raise SystemExit(f"hostile.py: unknown mode {mode!r} (modes: {', '.join(MODES)})")
    try:
        return mode, int(port or 0)
    except ValueError:
        raise SystemExit(f"hostile.py: bad port in {spec!r}")


def env_name(mode):
    return "CLOSED_PORT" if mode == "closed" else f"HOSTILE_{mode.upper()}_PORT"


def main():
    ap = argparse.ArgumentParser(description="misbehaving TCP peers on loopback")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--env", help="write the chosen ports to this file")
    ap.add_argument("modes", nargs="+", metavar="MODE[=PORT]")
    args = ap.parse_args()
    if args.host not in ("127.0.0.1", "::1") and not args.host.startswith("127."):
        raise SystemExit("hostile.py: loopback addresses only")

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
            threading.Thread(target=accept_loop, args=(mode, s), daemon=True).start()
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
