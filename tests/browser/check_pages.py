#!/usr/bin/env python3
"""check_pages.py: renders every page kind from the hand-made fixture results (and from 40
generated machines) with a torready binary, and checks the pages without a browser:

- the right adaptive sections appear, and the wrong ones do not, for each fixture;
- aggregate pages (site, article, handout, and a report of many machines) never name a
  machine's target, address or bridge line unless --show-hosts is given, and then they do;
- hostile strings from results (<script>, "onmouseover=, javascript: URLs, very long names)
  never become markup or live links in any page kind or format: HTML and fragments are
  parsed as they are, Markdown is first turned into HTML by cmark-gfm in *unsafe* mode (as a
  careless CMS would);
- counts such as "31 of 40 machines" are right.

usage: check_pages.py --torready PATH --out DIR
Prints `ok - NAME` / `FAIL - NAME: WHY` and ends with `N passed, N failed` (exit 1 on failure).
Pages are left in DIR for the browser checks.
"""
import argparse
import html.parser
import json
import os
import random
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
FIX = os.path.join(REPO, "tests", "fixtures", "results")
TOPICS = ["email-in-transit", "https-for-site-operators", "https-only-browsing", "tls-inspection",
          "trust-store-hygiene", "verify-a-certificate", "what-monitoring-sees", "why-run-tor"]
BASE = "https://kb.example.edu/tor-guide/"

passed = failed = 0


def check(name, ok, why=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok - {name}")
    else:
        failed += 1
        print(f"FAIL - {name}: {why}")


def render(tr, args, env=None):
    r = subprocess.run([tr, "render"] + args, capture_output=True, text=True,
                       env=dict(os.environ, **(env or {})))
    return r


def read(path):
    """The file's text; "" when it is missing (a failed render is reported where it ran)."""
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return ""


# ------------------------------------------------------------------ markup safety

class Scan(html.parser.HTMLParser):
    """Collects what could run or navigate: tags, event attributes, link targets."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.bad = []
        self.ids = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "img", "form", "base", "link", "meta") \
                and not (tag == "meta" and all(k in ("charset", "name", "content", "http-equiv")
                                               for k, _ in attrs)):
            self.bad.append(f"<{tag}>")
        for k, v in attrs:
            v = v or ""
            if k.lower().startswith("on"):
                self.bad.append(f"{k}= on <{tag}>")
            if k.lower() == "id":
                self.ids.append(v)
            if k.lower() in ("href", "src", "action", "formaction", "xlink:href"):
                low = re.sub(r"[\s\x00-\x1f]", "", v).lower()
                if not (low.startswith(("https://", "http://", "mailto:", "#"))
                        or re.fullmatch(r"[a-z0-9-]+\.(html|md)(#[a-z0-9-]+)?", low)
                        # lookup pages: code-PROBE-CODE, names from the probe catalog
                        or re.fullmatch(r"code-[a-z]+\.[a-z_]+-[a-z0-9_]+\.(html|md)", low)):
                    self.bad.append(f"{k}={v[:60]!r} on <{tag}>")


def unsafe_markup(page_html):
    s = Scan()
    s.feed(page_html)
    return s.bad


def md_to_html(md):
    r = subprocess.run(["cmark-gfm", "--unsafe", "-e", "autolink", "-e", "table",
                        "-e", "strikethrough"], input=md, capture_output=True, text=True, check=True)
    return r.stdout


def page_texts(outdir):
    """(name, html-to-scan) for every page in outdir; Markdown turned into HTML first."""
    for fn in sorted(os.listdir(outdir)):
        p = os.path.join(outdir, fn)
        if fn.endswith(".md"):
            yield fn, md_to_html(read(p)), read(p)
        elif fn.endswith(".html"):
            yield fn, read(p), read(p)


# ------------------------------------------------------------------ the 40 machines

def machine(i, rnd):
    """One machine's results: 31 reach Tor directly; of the 9 blocked, 5 get through with
    obfs4 (each has its own private bridge, a secret), 4 get nowhere."""
    auths = [("moria1", "128.31.0.39:9201"), ("tor26", "217.196.147.77:443"),
             ("dizum", "45.66.35.11:443")]
    host = f"lab-pc-{i:02d}.cs.example.edu"
    bridge_ip = f"198.51.{100 + i // 200}.{10 + i}"
    secret = f"cert=SecretBridgeCert{i:02d}xyzABCDEFGHIJKLMNOPQRSTUV iat-mode=0"
    line = f"obfs4 {bridge_ip}:{4400 + i} {i:040X} {secret}"
    res = [{"probe": "net.baseline", "target": "https://www.wikipedia.org/", "name": "",
            "status": "pass", "code": "ok", "summary": f"{host} reached the internet",
            "duration_ms": 30, "evidence": {"local_host": host}}]
    direct = i < 31
    for n, a in auths:
        st, code = ("pass", "ok") if direct else ("fail", rnd.choice(["timeout", "reset", "refused"]))
        res.append({"probe": "tor.dirauth", "target": a, "name": n, "status": st, "code": code,
                    "summary": f"{n} at {a}: {code}", "duration_ms": 50,
                    "evidence": {"netinfo_my_addr": f"10.20.{i}.{7 + i}"}})
    if not direct:
        ok = i < 36
        res.append({"probe": "tor.bridge", "target": line, "name": "", "status": "pass" if ok else "fail",
                    "code": "ok" if ok else "timeout",
                    "summary": f"bridge {bridge_ip}:{4400 + i} " + ("answered" if ok else "no answer"),
                    "duration_ms": 70, "evidence": {"transport": "obfs4", "address": bridge_ip}})
    site = f"https://intranet-{i:02d}.example.edu/"
    res.append({"probe": "https.hsts", "target": site, "name": "",
                "status": "pass" if i % 4 else "fail", "code": "ok" if i % 4 else "missing",
                "summary": f"{site} HSTS", "duration_ms": 20, "evidence": {}})
    return {"schema": "torready-results/1", "tool": {"name": "torready", "version": "0.1.0"},
            "started": f"2026-11-{20 + i % 7:02d}T09:{i:02d}:00Z",
            "finished": f"2026-11-{20 + i % 7:02d}T09:{i:02d}:05Z", "duration_ms": 5000,
            "deadline_ms": 10000, "host": {"os": f"Debian GNU/Linux 12 on {host}"},
            "contacted": [a for _, a in auths] + ([f"{bridge_ip}:{4400 + i}"] if not direct else []),
            "results": res}, [host, bridge_ip, secret, site, f"10.20.{i}.{7 + i}"]


def write_machines(d):
    os.makedirs(d, exist_ok=True)
    rnd = random.Random(40)
    files, secrets = [], []
    for i in range(40):
        doc, sec = machine(i, rnd)
        p = os.path.join(d, f"machine-{i:02d}.json")
        with open(p, "w") as f:
            json.dump(doc, f)
        files.append(p)
        secrets += sec
    return files, secrets


# ------------------------------------------------------------------ the checks

SECTIONS = {   # fixture -> (topic, ids that must show, ids that must not)
    "all-pass": ("why-run-tor", ["direct-works", "bootstrap-works"],
                 ["direct-blocked", "bridge-works", "nothing-works", "offline", "bootstrap-works-bridge"]),
    "tor-blocked-obfs4": ("why-run-tor", ["direct-blocked", "bridge-works", "bootstrap-works-bridge"],
                          ["direct-works", "nothing-works", "offline", "bootstrap-works"]),
    "offline": ("why-run-tor", ["offline"], ["direct-blocked", "direct-works", "bridge-works"]),
    "interception": ("tls-inspection", ["issuer-unexpected", "local-root", "spki-reused", "pin-mismatch",
                                        "vantage-mismatch", "leaf-key-is-ca-key", "no-scts",
                                        "local-roots-added"], ["none-seen"]),
}


def check_sections(tr, out):
    for fx, (topic, want, unwanted) in SECTIONS.items():
        d = os.path.join(out, f"article-{fx}")
        r = render(tr, ["--results", f"{FIX}/{fx}.json", "--page", "article", "--topic", topic,
                        "--out", d, "--format", "html,md,fragment"])
        if r.returncode:
            check(f"article {topic} from {fx}", False, r.stderr.strip())
            continue
        page = read(f"{d}/{topic}.html")
        ids = set(re.findall(r'id="([a-z0-9-]+)"', page))
        missing = [s for s in want if s not in ids]
        extra = [s for s in unwanted if s in ids]
        check(f"article {topic} from {fx}: adaptive sections", not missing and not extra,
              f"missing {missing}, unexpected {extra}")
    # The report's banner speaks plainly about each situation.
    # One answer per run (verdict.md): its level on the banner, its headline in both formats,
    # and every finding card and article block saying its state in the one vocabulary.
    for fx, level, words in [("all-pass", "ready", "Ready: Tor works from here"),
                             ("offline", "offline", "This machine looks offline"),
                             ("interception", "intercepted", 'HTTPS on this network is being opened and re-signed by "Campus Inspection CA"'),
                             ("tor-blocked-obfs4", "tor_blocked", "Tor is blocked on this network, but a bridge got through (obfs4)")]:
        d = os.path.join(out, f"report-{fx}")
        r = render(tr, ["--results", f"{FIX}/{fx}.json", "--out", d, "--format", "html,md,fragment"])
        page = read(f"{d}/report.html")
        ok = r.returncode == 0 and html.unescape(page).count(words) >= 1 and words in read(f"{d}/report.md")
        check(f"report from {fx}: banner says \"{words}\"", ok, r.stderr.strip() or "banner text missing")
        check(f"report from {fx}: banner carries data-verdict=\"{level}\"",
              re.search(r'class="banner[^"]*" data-verdict="%s"' % level, page) is not None, "data-verdict missing")
        cards = re.findall(r'<article class="(finding|article)[^"]*"[^>]*>', page)
        states = re.findall(r'<article class="(?:finding|article)[^"]*"[^>]*data-state="(problem|look|good|none)"', page)
        check(f"report from {fx}: every finding card and article block has a data-state",
              len(cards) == len(states), f"{len(cards)} blocks, {len(states)} with a state")
        if level == "offline":
            check("offline report: no Tor or HTTPS problem advice", 'data-state="problem"' not in
                  re.sub(r'<article class="finding.*?</article>', "", page, flags=re.S), "an article says problem")


def check_hostile(tr, out):
    jobs = [("report", ["--out", f"{out}/hostile-report"]),
            ("site", ["--page", "site", "--show-hosts", "--out", f"{out}/hostile-site"]),
            ("article", ["--page", "article", "--topic", "why-run-tor", "--show-hosts",
                         "--out", f"{out}/hostile-article"]),
            ("handout", ["--page", "handout", "--topic", "why-run-tor", "--base-url", BASE,
                         "--show-hosts", "--out", f"{out}/hostile-handout"])]
    for kind, args in jobs:
        r = render(tr, ["--results", f"{FIX}/hostile.json", "--format", "html,md,fragment"] + args)
        if r.returncode:
            check(f"hostile {kind}", False, r.stderr.strip())
            continue
        d = args[args.index("--out") + 1]
        seen_text = False
        for fn, scan, raw in page_texts(d):
            bad = unsafe_markup(scan)
            check(f"hostile {kind} {fn}: no markup, script or live link from results", not bad,
                  "; ".join(bad[:5]))
            seen_text |= "alert(1)" in scan
        if kind != "handout":
            check(f"hostile {kind}: the hostile text is shown as text", seen_text,
                  "the hostile strings vanished instead of being escaped")


def check_aggregate(tr, out):
    files, secrets = write_machines(os.path.join(out, "machines"))
    res = []
    for f in files:
        res += ["--results", f]
    kinds = [("site", ["--page", "site"]),
             ("report", ["--page", "report"])] + \
            [(f"article-{t}", ["--page", "article", "--topic", t]) for t in ("why-run-tor", "https-for-site-operators")] + \
            [("handout", ["--page", "handout", "--topic", "why-run-tor", "--base-url", BASE])]
    for kind, args in kinds:
        d = os.path.join(out, f"agg-{kind}")
        r = render(tr, res + args + ["--out", d, "--format", "html,md,fragment"])
        if r.returncode:
            check(f"40 machines {kind}", False, r.stderr.strip())
            continue
        leaks = []
        for fn, scan, raw in page_texts(d):
            leaks += [f"{fn}: {s[:40]}" for s in secrets if s in raw or s in scan]
            for piece in ("198.51.", "cert=", "lab-pc-", "intranet-", "128.31.0.39", "10.20."):
                if piece in raw:
                    leaks.append(f"{fn}: {piece}")
        check(f"40 machines {kind}: no host, address or bridge line on the page", not leaks,
              "; ".join(sorted(set(leaks))[:6]))
    idx = read(os.path.join(out, "agg-site", "index.html"))
    art = read(os.path.join(out, "agg-site", "why-run-tor.html"))
    check("40 machines: \"31 of 40 machines\" reached Tor directly",
          re.search(r"Tor can connect directly from here.{0,80}31 of 40 machines", art, re.S) is not None,
          "count missing on why-run-tor.html")
    check("40 machines: 9 of 40 blocked, 5 got through with a bridge",
          re.search(r"blocked here.{0,80}9 of 40 machines", art, re.S) is not None and
          re.search(r"Only a bridge got through.{0,80}5 of 40 machines", art, re.S) is not None,
          "counts missing")
    check("40 machines: obfs4 bridges got through on 5 of the 9 machines that tried them",
          "got through on 5 of the 9 machines that tried them" in art, "bridge kind fact missing")
    check("40 machines: index names the count of machines", "40 machines checked" in idx, "headline missing")
    # The same render with --show-hosts does name them: the suppression is real, not luck.
    d = os.path.join(out, "agg-site-hosts")
    r = render(tr, res + ["--page", "site", "--show-hosts", "--out", d])
    shown = r.returncode == 0 and "198.51.100.41" in read(os.path.join(d, "why-run-tor.html"))
    check("40 machines with --show-hosts: bridge addresses are shown", shown, r.stderr.strip() or "not shown")


def check_errors(tr, out):
    for args, want in [(["--page", "handout", "--topic", "why-run-tor"], "--base-url"),
                       (["--page", "article", "--topic", "no-such-article"], "why-run-tor"),
                       (["--page", "article"], "--topic"),
                       (["--page", "leaflet"], "leaflet"),
                       (["--page", "site", "--base-url", "javascript:alert(1)"], "--base-url"),
                       (["--format", "html,pdf"], "pdf")]:
        r = render(tr, ["--results", f"{FIX}/all-pass.json", "--out", f"{out}/err"] + args)
        check(f"render {' '.join(args)}: exit 2 naming the problem", r.returncode == 2 and want in r.stderr,
              f"exit {r.returncode}: {r.stderr.strip()[:200]}")


HARD = """id: hard
title: Incomprehensibility considerations regarding institutional cryptographic infrastructure
audience: [everyone]
summary: Organisational cryptographic infrastructure necessitates comprehensive understanding.
reviewed: 2026-11-01
sources:
  - id: s
    title: A source
    url: https://example.org/
body: |
  Notwithstanding considerable institutional heterogeneity, organisational cryptographic
  infrastructure necessitates comprehensive, multidisciplinary administrative coordination,
  particularly regarding certificate authority intermediation, interoperability
  considerations, and systematically documented revocation methodologies.[^s]
"""


def check_lint_kb(tr, out):
    """tools/lint-kb (make lint-kb) passes on kb/, fails on hard prose and on a broken entry."""
    tool = os.path.join(REPO, "tools", "lint-kb")
    r = subprocess.run([tool, "--torready", tr, os.path.join(REPO, "kb")], capture_output=True, text=True)
    check("lint-kb: the real kb/ passes (schema and grade <= 10)", r.returncode == 0, r.stdout[-600:])
    d = os.path.join(out, "kb-hard")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "hard.yaml"), "w") as f:
        f.write(HARD)
    r = subprocess.run([tool, "--torready", tr, d], capture_output=True, text=True)
    check("lint-kb: hard prose fails on its grade", r.returncode == 1 and "FAIL - hard: grade" in r.stdout,
          r.stdout[-400:])
    d = os.path.join(out, "kb-broken")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "broken.yaml"), "w") as f:
        f.write(HARD.replace("id: hard", "id: broken").replace("[^s]", "[^nope]"))
    r = subprocess.run([tool, "--torready", tr, d], capture_output=True, text=True)
    check("lint-kb: a broken entry fails kb lint with file:line:col",
          r.returncode == 1 and "FAIL - torready kb lint" in r.stdout and "broken.yaml:" in r.stdout,
          r.stdout[-400:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--torready", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    if not shutil.which("cmark-gfm"):
        print("check_pages: cmark-gfm not found (Debian package cmark-gfm)", file=sys.stderr)
        return 2
    shutil.rmtree(a.out, ignore_errors=True)
    os.makedirs(a.out)
    check_sections(a.torready, a.out)
    check_hostile(a.torready, a.out)
    check_aggregate(a.torready, a.out)
    check_errors(a.torready, a.out)
    check_lint_kb(a.torready, a.out)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
