#!/usr/bin/env python3
"""Checks a report printed to PDF by Chromium (e2e/report-flow.mjs).

Usage: check_pdf.py FILE.pdf SECTIONS [TEXT...]

The PDF must open in pypdf; its outline (Chromium's `outline: true` builds it from the
headings) must hold exactly SECTIONS entries titled "1. …", "2. …", … in order; each numbered
section starts on its own page (print CSS breaks before every section), so the document has
at least SECTIONS pages; and every TEXT given must appear in the extracted text.
Prints one line per finding; exits non-zero on any.
"""

import re
import sys

from pypdf import PdfReader


def flatten(outline, out):
    for item in outline:
        if isinstance(item, list):
            flatten(item, out)
        else:
            out.append(item)
    return out


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    path, want = argv[0], int(argv[1])
    texts = argv[2:]
    problems = []
    reader = PdfReader(path)
    pages = len(reader.pages)
    items = flatten(reader.outline, [])
    numbered = []
    for it in items:
        title = str(getattr(it, "title", "")).strip()
        m = re.match(r"^(\d+)\.\s", title)
        if m:
            page = reader.get_destination_page_number(it)
            numbered.append((int(m.group(1)), title, page))
    numbers = [n for n, _, _ in numbered]
    if numbers != list(range(1, want + 1)):
        problems.append(f"outline sections {numbers} (titles {[t for _, t, _ in numbered]}), expected 1..{want}")
    starts = [p for _, _, p in numbered]
    if len(set(starts)) != len(starts):
        problems.append(f"two sections start on the same page: {starts}")
    if pages < want:
        problems.append(f"{pages} pages, expected at least {want} (one per section)")
    body = "\n".join((p.extract_text() or "") for p in reader.pages)
    flat = re.sub(r"\s+", " ", body)
    for t in texts:
        if re.sub(r"\s+", " ", t) not in flat:
            problems.append(f"text not found in the PDF: {t!r}")
    for p in problems:
        print(f"check_pdf: {p}")
    if not problems:
        print(f"check_pdf: ok, {pages} pages, {len(numbered)} numbered sections in the outline")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
