#!/usr/bin/env python3
"""Fuzzes a running `tejido serve --demo` and fails on any 5xx answer.

    scripts/fuzz.py BASE_URL --password PW --tejido PROGRAM [--schemathesis PATH] [--seconds N] [--seed N]

Two parts, each bounded in time:

* the JSON API, by Schemathesis from Tejido's own OpenAPI document, with an API token made for
  the demo leader through the account page (as a person would make one);
* the HTML routes, by this script: every route of the route registry (`tejido routes`), with hostile
  path parameters (negative, zero, huge and overflowing ids, bad UTF-8, NUL, very long strings,
  traversal), hostile query strings (pages, dates, periods, searches) and hostile form bodies
  (bad UTF-8, impossible dates, huge numbers, long text, repeated fields), as an anonymous visitor
  and as the signed-in leader with a valid CSRF token, so validation is reached.

Mutations are expected: run it against a throwaway server, after the browser tests.
Uses only the standard library (Schemathesis is a separate program).
"""

import argparse
import http.cookiejar
import random
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

TEJIDO = "tejido"  # the program; set from --tejido
LEADER = "lider@example.org"

# Hostile values for a path parameter, already in their on-the-wire (percent-encoded) form.
PATH_VALUES = [
    "1",
    "2",
    "0",
    "-1",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999999999",
    "1.5",
    "1e9",
    "%FF%FE",
    "%00",
    "%C3%28",
    "..%2F..%2Fetc%2Fpasswd",
    "a" * 3000,
    "%E2%80%AE%F0%9F%92%A9",
    "%20",
    "red-comunitaria-oaxaca",
]

QUERY_VALUES = [
    "page=-1",
    "page=0",
    "page=99999999999",
    "page=9223372036854775808",
    "page=%FF",
    "page=1&page=2",
    "from=2026-13-45&to=abc",
    "from=9999-12-31&to=0000-01-01",
    "period=2026-99",
    "period=%FF",
    "year=-5",
    "q=" + "%FF%FE" * 10,
    "q=" + "x" * 5000,
    "q=%22%27%3C%3E%5C",
    "lang=xx-XX",
    "format=%00",
    "person_id=-1&role=nada",
    "kind=%FF&sort=%FF",
    "next=%2F%2Fevil.example",
]

FIELD_NAMES = [
    "name", "title", "description", "body", "summary", "text", "notes", "email", "display_name",
    "date", "starts_at", "ends_at", "due", "due_on", "start", "end", "from", "to", "period",
    "amount", "value", "year", "page", "id", "person_id", "organization_id", "org_id", "community_id",
    "role", "kind", "status", "visibility", "theme", "rating", "trust", "position", "order", "slug",
    "question", "option", "options", "answer", "score", "level", "source", "target", "url",
]

FIELD_VALUES = [
    "%FF%FE%FD",
    "%00",
    "-1",
    "0",
    "9223372036854775808",
    "1e400",
    "NaN",
    "2026-02-30",
    "2026-13-45T25:61",
    "31%2F12%2F2026",
    "0000-00-00",
    "x" * 20000,
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "%27%3B+DROP+TABLE+users%3B--",
    "%E2%80%AE",
    "",
]

RAW_BODIES = [
    b"\xff\xfe\xfd=\xff",
    b"%%%%",
    b"a=1&a=2&a=3&" * 200,
    b"=" * 500,
]


class Client:
    """A cookie-keeping HTTP client that never follows redirects."""

    def __init__(self, base):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )

    def request(self, method, path, body=None, content_type=None, headers=None):
        req = urllib.request.Request(self.base + path, data=body, method=method)
        if content_type:
            req.add_header("Content-Type", content_type)
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with self.opener.open(req, timeout=30) as resp:
                return resp.status, resp.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace")
        except (urllib.error.URLError, ConnectionError, TimeoutError) as e:
            # A dropped connection or a hang is as bad as a 500: counted as one (status 599).
            return 599, f"no answer: {e}"

    def csrf(self, path="/login"):
        _, page = self.request("GET", path)
        m = re.search(r'name="_csrf" value="([^"]+)"', page)
        if not m:
            raise SystemExit(f"fuzz: no CSRF token in {path}")
        return m.group(1)


def sign_in(base, email, password):
    c = Client(base)
    token = c.csrf("/login")
    form = urllib.parse.urlencode({"_csrf": token, "email": email, "password": password, "next": "/"})
    status, body = c.request("POST", "/login", form.encode(), "application/x-www-form-urlencoded")
    if status != 303:
        raise SystemExit(f"fuzz: signing in as {email} answered {status}: {body[:300]}")
    c.token = c.csrf("/account")
    return c


def api_token(c):
    form = urllib.parse.urlencode({"_csrf": c.token, "name": "fuzz"})
    status, body = c.request("POST", "/account/tokens", form.encode(), "application/x-www-form-urlencoded")
    m = re.search(r"(tjd_[A-Za-z0-9_-]+)", body)
    if status != 200 or not m:
        raise SystemExit(f"fuzz: creating an API token answered {status}")
    return m.group(1)


def routes():
    """(method, path template) for every route of the route registry (`tejido routes`), the API's
    under /api/v1."""
    out = subprocess.run([TEJIDO, "routes"], check=True, capture_output=True, text=True).stdout
    table = sorted({tuple(line.split("\t")[:2]) for line in out.splitlines() if line.strip()})
    if len(table) < 300:
        raise SystemExit(f"fuzz: `{TEJIDO} routes` listed only {len(table)} routes")
    return table


def fill(template, value, slug):
    """Every placeholder gets `value`, except `{slug}`, which stays a real community half the time."""
    def sub(m):
        if m.group(1) == "slug" and value != "a" * 3000 and random.random() < 0.5:
            return slug
        return value
    return re.sub(r"\{([a-z_]+)\}", sub, template)


def hostile_form(token):
    fields = random.sample(FIELD_NAMES, k=random.randint(3, 12))
    parts = [f"{n}={random.choice(FIELD_VALUES)}" for n in fields]
    if token:
        parts.insert(0, "_csrf=" + urllib.parse.quote(token))
    return "&".join(parts).encode()


SKIP = {("POST", "/logout"), ("POST", "/account/password")}


def html_fuzz(base, leader, seconds, slug):
    anon = Client(base)
    anon.token = anon.csrf("/login")
    table = [r for r in routes() if r not in SKIP]
    counts = {}
    failures = []
    deadline = time.monotonic() + seconds
    sent = 0
    rounds = 0
    while time.monotonic() < deadline:
        rounds += 1
        random.shuffle(table)
        for method, template in table:
            if time.monotonic() >= deadline:
                break
            who = leader if random.random() < 0.8 else anon
            path = fill(template, random.choice(PATH_VALUES), slug)
            if method == "GET" and random.random() < 0.7:
                path += "?" + "&".join(random.sample(QUERY_VALUES, k=random.randint(1, 3)))
            body, ctype, headers = None, None, {}
            if method != "GET":
                if template.startswith("/api/"):
                    ctype = "application/json"
                    headers["x-csrf-token"] = who.token
                    body = random.choice([b"{", b"[]", b'{"name": 1e999}', b"\xff\xfe", b"null",
                                          b'{"title": "' + b"x" * 20000 + b'"}'])
                else:
                    ctype = "application/x-www-form-urlencoded"
                    body = random.choice(RAW_BODIES) if random.random() < 0.15 else hostile_form(who.token)
            status, text = who.request(method, path, body, ctype, headers)
            sent += 1
            counts[status // 100] = counts.get(status // 100, 0) + 1
            if status >= 500:
                failures.append(f"{status} {method} {path[:200]} as {'leader' if who is leader else 'anonymous'}: {text[:200]}")
        if leader.request("GET", "/account")[0] != 200:
            # Something the fuzzer sent ended the session (a password change, say): sign in again.
            return sent, counts, failures, rounds, True
    return sent, counts, failures, rounds, False


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("--password", required=True)
    ap.add_argument("--schemathesis", help="path of the schemathesis program; skipped when absent")
    ap.add_argument("--seconds", type=int, default=120, help="time for each of the two parts")
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--tejido", required=True, help="the tejido program, whose `routes` lists the routes")
    a = ap.parse_args()
    global TEJIDO
    TEJIDO = a.tejido
    random.seed(a.seed)
    print(f"fuzz: seed {a.seed}, {len(routes())} routes, {a.seconds} s per part")

    leader = sign_in(a.base, LEADER, a.password)
    status, page = leader.request("GET", "/communities")
    slugs = re.findall(r'href="/c/([a-z0-9-]+)"', page)
    slug = slugs[0] if slugs else "no-such-community"
    bad = 0

    if a.schemathesis:
        token = api_token(leader)
        cmd = [
            a.schemathesis, "run", f"{a.base}/api/v1/openapi.json",
            "--header", f"Authorization: Bearer {token}",
            "--checks", "not_a_server_error",
            "--max-time", str(a.seconds),
            "--workers", "1",
            "--request-timeout", "30",
            "--seed", str(a.seed),
            "--no-color",
        ]
        print("fuzz: " + " ".join(c if not c.startswith("Authorization") else "Authorization: Bearer …" for c in cmd))
        rc = subprocess.run(cmd).returncode
        if rc != 0:
            print(f"fuzz: schemathesis found server errors (exit status {rc})")
            bad += 1

    sent, counts, failures, rounds, ended = html_fuzz(a.base, leader, a.seconds, slug)
    summary = ", ".join(f"{k}xx: {v}" for k, v in sorted(counts.items()))
    print(f"fuzz: HTML routes: {sent} requests in {rounds} rounds ({summary})")
    if ended:
        print("fuzz: the leader's session ended during the run (stopped early)")
    for f in failures[:50]:
        print("  " + f)
    if failures:
        print(f"fuzz: {len(failures)} answers were 5xx")
        bad += 1
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
