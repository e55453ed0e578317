#!/usr/bin/env python3
"""Parses iCalendar files written by the Rust tests with the `icalendar` package, as an
independent check of Tejido's RFC 5545 output: every event has UTC-aware DTSTART/DTEND, ends after
it starts, has a UID and DTSTAMP, survives a round trip, and the test event scheduled at 10:00 in
Mexico City (UTC-6) starts at 16:00 UTC."""
import datetime
import sys

import icalendar

paths = sys.argv[1:]
if not paths:
    sys.exit("check_ics: no .ics files to check (did the Rust tests write them?)")
for path in paths:
    with open(path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    events = list(cal.walk("VEVENT"))
    assert events, f"{path}: no VEVENT"
    for ev in events:
        start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
        assert start.tzinfo is not None and start.utcoffset() == datetime.timedelta(0), (path, start)
        assert end > start, (path, start, end)
        assert ev.get("UID") and ev.get("DTSTAMP"), path
    expected = datetime.datetime(2030, 3, 10, 16, 0, tzinfo=datetime.timezone.utc)
    assert any(ev.decoded("DTSTART") == expected for ev in events), f"{path}: 10:00 Mexico City is not 16:00 UTC"
    again = icalendar.Calendar.from_ical(cal.to_ical())
    assert [e["UID"] for e in again.walk("VEVENT")] == [e["UID"] for e in events], path
    print(f"{path}: {len(events)} event(s) parse with icalendar {icalendar.__version__}")
print("icalendar check: OK")
