#!/usr/bin/env python3
"""Times single requests while wrk loads the server (scripts/bench load): wrk gives the overall
latency figures but not the latency of each status, and a refusal (503/429) must come fast.

    load_probe.py BASE_URL SECONDS   (TEJIDO_COOKIE, TEJIDO_CSRF, TEJIDO_SLUG, TEJIDO_THREAD set)

Two threads alternate a discussion reply and a page read for SECONDS; prints one `probe:` line
per status: how many, and their slowest and median time in milliseconds.
"""

import os
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

base, seconds = sys.argv[1].rstrip("/"), float(sys.argv[2])
cookie, csrf = os.environ["TEJIDO_COOKIE"], os.environ["TEJIDO_CSRF"]
slug, thread = os.environ["TEJIDO_SLUG"], os.environ["TEJIDO_THREAD"]
times = {}
lock = threading.Lock()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect())


def one(i):
    if i % 2 == 0:
        body = urllib.parse.urlencode({"_csrf": csrf, "body": f"Respuesta de sonda {i}"}).encode()
        req = urllib.request.Request(f"{base}/c/{slug}/discussions/{thread}/replies", data=body, method="POST")
        req.add_header("Content-Type", "application/x-www-form-urlencoded")
    else:
        req = urllib.request.Request(f"{base}/c/{slug}/discussions/{thread}")
    req.add_header("Cookie", cookie)
    t0 = time.monotonic()
    try:
        with opener.open(req, timeout=30) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        e.read()
        status = e.code
    except OSError:
        status = 0
    return ("write" if i % 2 == 0 else "read", status), time.monotonic() - t0


def worker(k):
    i = k
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        key, dt = one(i)
        with lock:
            times.setdefault(key, []).append(dt)
        i += 2


ts = [threading.Thread(target=worker, args=(k,)) for k in range(2)]
for t in ts:
    t.start()
for t in ts:
    t.join()
for (kind, status), v in sorted(times.items()):
    print(f"probe: {kind} {status}: {len(v)} requests, max {max(v) * 1000:.0f} ms, "
          f"median {statistics.median(v) * 1000:.0f} ms")
