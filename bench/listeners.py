#!/usr/bin/env python3
"""A dead network on loopback for bench/run's P1: N listeners that accept every connection
and never send a byte (as a censor that silently swallows traffic would look from inside a
TLS or Tor client), and M ports that refuse (bound, never listening, so nothing else can take
them), and optionally F filtered ports: listening, their one-place accept queue filled by a
connection of our own and never accepted, so the kernel drops every further SYN, as a
firewall's DROP rule would (the client waits in SYN_SENT; no TLS ever starts). One thread,
selectors; runs until SIGTERM/SIGINT or stdin closes.

usage: bench/listeners.py SILENT REFUSED [FILTERED] -> prints "silent PORT...", "refused
       PORT..." and "filtered PORT..." lines on stdout, then "ready"."""
import os
import selectors
import signal
import socket
import stat
import sys


def main():
    n_silent, n_refused = int(sys.argv[1]), int(sys.argv[2])
    n_filtered = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    sel = selectors.DefaultSelector()
    keep = []
    silent, refused = [], []
    for _ in range(n_silent):
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", 0))
        s.listen(1024)
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ, "listen")
        silent.append(s.getsockname()[1])
        keep.append(s)
    for _ in range(n_refused):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        refused.append(s.getsockname()[1])
        keep.append(s)
    if stat.S_ISFIFO(os.fstat(0).st_mode):   # a pipe from bench/run: its end is ours too
        sel.register(sys.stdin, selectors.EVENT_READ, "stdin")
    print("silent " + " ".join(map(str, silent)))
    filtered = []
    for _ in range(n_filtered):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(0)   # Linux: the accept queue holds one connection
        port = s.getsockname()[1]
        c = socket.create_connection(("127.0.0.1", port), 2)   # fills it, never accepted
        filtered.append(port)
        keep += [s, c]
    print("refused " + " ".join(map(str, refused)))
    print("filtered " + " ".join(map(str, filtered)))
    print("ready", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    conns = {}
    while True:
        for key, _ in sel.select():
            if key.data == "stdin":
                if not sys.stdin.buffer.read1(4096):
                    return 0
            elif key.data == "listen":
                try:
                    c, _ = key.fileobj.accept()
                except OSError:
                    continue
                c.setblocking(False)
                conns[c.fileno()] = c
                sel.register(c, selectors.EVENT_READ, "conn")
            else:   # read and drop what the client sends; close when it does
                c = key.fileobj
                try:
                    data = c.recv(65536)
                except OSError:
                    data = b""
                if not data:
                    sel.unregister(c)
                    conns.pop(c.fileno(), None)
                    c.close()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
