#!/usr/bin/env python3
"""Checks that XLSX datasets written by Tejido's tests open in openpyxl with typed cells.

Usage: check_xlsx.py FILE.xlsx...      (scripts/test passes every *.xlsx in $TEJIDO_TEST_ARTIFACTS)
       check_xlsx.py --self-test        (proves the checks fail on wrong types)

For every workbook and every sheet:
  - the first row is a header of non-empty text cells, and no header repeats;
  - no data cell is text that should have been typed: text that reads as a number
    (e.g. "12", "0.5") or as a date (e.g. "2026-03-01") fails;
  - every date/datetime cell carries a date number format (openpyxl's is_date), and no
    number cell carries one (a date format on a plain number);
  - a column holds one type (numbers, dates or text; empty cells allowed).
For the community report (files named report-*.xlsx) also: the sheets are the report's
tables in order (Spanish titles), with their header rows, and the columns named below hold
numbers or dates.
Exits non-zero and names every problem when any check fails.
"""

import datetime
import re
import sys
import tempfile
from pathlib import Path

import openpyxl

NUMBER_TEXT = re.compile(r"^-?\d+([.,]\d+)?$")
DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$")

# The report's sheets (es-MX titles, as tejido_core::reports::TABLES orders them) with their
# header rows; in each, the columns whose cells must be numbers ("n") or dates ("d").
REPORT_SHEETS = [
    ("Alcances significativos por tem", ["Tema", "Alcances", "Organizaciones"], "-nn"),
    ("Alcances significativos del per", ["Fecha", "Tema", "Alcance", "Sustento", "Organizaciones"], "d---n"),
    ("Proyectos conjuntos del periodo", ["Proyecto", "Tema", "Estado", "Inicio", "Fin", "Organizaciones integrantes", "Aliados externos", "Alcances"], "---ddnnn"),
    ("Autodiagnóstico de sostenibilid", ["Ronda", "Fecha", "Respuestas", "Gestión y estructura", "Financiamiento", "Procesos", "Cultura"], "-dnnnnn"),
    ("Resumen financiero del periodo", ["Rubro", "Concepto", "Monto", "Moneda"], "--n-"),
    ("Membresía al inicio y al final", ["Quiénes", "Al inicio", "Se integraron", "Se retiraron", "Al final"], "-nnnn"),
    ("Organizaciones que se integraro", ["Fecha", "Organización", "Cambio"], "d--"),
    ("Eventos del periodo", ["Fecha", "Evento", "Tipo", "Modalidad", "Estado", "Inscritas", "Presenciales", "A distancia"], "d----nnn"),
    ("Asistencias por organización", ["Organización", "Asistencias", "Personas"], "-nn"),
    ("Asistencias por nivel de puesto", ["Nivel de puesto", "Asistencias", "Personas"], "-nn"),
    ("Asistencias de personas jóvenes", ["Juventud", "Asistencias", "Personas"], "-nn"),
    ("Asistencias por género (cuando", ["Género", "Asistencias", "Personas"], "-nn"),
    ("Asistencias presenciales y a di", ["Modalidad", "Asistencias"], "-n"),
    ("La red en la línea base y al fi", ["Momento", "Fecha", "Organizaciones", "Pares vinculados", "Densidad", "Entre sectores"], "-dnnnn"),
    ("Apropiación local por evento", ["Fecha", "Evento", "Índice"], "d-n"),
    ("Encuestas cerradas en el period", ["Fecha", "Encuesta", "Pregunta", "Tipo", "Respuestas", "Valor"], "d---nn"),
    ("Lecciones aprendidas", ["Fecha", "Evento", "Lección"], "d--"),
    ("Historial de fases", ["Fecha", "Decisión"], "d-"),
]


def kind(cell):
    v = cell.value
    if v is None:
        return None
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (datetime.datetime, datetime.date)):
        return "date"
    if isinstance(v, (int, float)):
        return "number"
    return "text"


def check_sheet(name, ws, problems):
    rows = list(ws.iter_rows())
    if not rows:
        problems.append(f"{name}: empty sheet (no header row)")
        return
    header = rows[0]
    titles = []
    for c in header:
        if not isinstance(c.value, str) or not c.value.strip():
            problems.append(f"{name}!{c.coordinate}: header cell is not text: {c.value!r}")
        titles.append(c.value)
    if len(set(titles)) != len(titles):
        problems.append(f"{name}: repeated header {titles}")
    column_kinds = {}
    for row in rows[1:]:
        for c in row:
            k = kind(c)
            if k is None:
                continue
            if k == "text":
                s = str(c.value).strip()
                if NUMBER_TEXT.match(s):
                    problems.append(f"{name}!{c.coordinate}: number stored as text: {c.value!r}")
                if DATE_TEXT.match(s):
                    problems.append(f"{name}!{c.coordinate}: date stored as text: {c.value!r}")
            if k == "date" and not c.is_date:
                problems.append(f"{name}!{c.coordinate}: date without a date format")
            if k == "number" and c.is_date:
                problems.append(f"{name}!{c.coordinate}: number with a date format")
            col = c.column_letter
            seen = column_kinds.setdefault(col, k)
            if seen != k:
                problems.append(f"{name}!{c.coordinate}: column {col} mixes {seen} and {k}")
    return column_kinds


def check_report(path, wb, problems):
    names = wb.sheetnames
    want = [s[0] for s in REPORT_SHEETS]
    if names != want:
        problems.append(f"{path.name}: sheets {names} != {want}")
        return
    for (title, header, types) in REPORT_SHEETS:
        ws = wb[title]
        got = [c.value for c in next(ws.iter_rows(max_row=1))]
        if got != header:
            problems.append(f"{path.name}!{title}: header {got} != {header}")
            continue
        for row in ws.iter_rows(min_row=2):
            for c, t in zip(row, types):
                k = kind(c)
                if k is None:
                    continue
                if t == "n" and k != "number":
                    problems.append(f"{path.name}!{title}!{c.coordinate}: expected a number, got {k} {c.value!r}")
                if t == "d" and k != "date":
                    problems.append(f"{path.name}!{title}!{c.coordinate}: expected a date, got {k} {c.value!r}")
    # The fixture has events, so the events sheet has rows with real dates.
    ev = wb["Eventos del periodo"]
    if ev.max_row < 2:
        problems.append(f"{path.name}: the events sheet has no rows")


def check(path):
    problems = []
    try:
        wb = openpyxl.load_workbook(path)
    except Exception as e:  # noqa: BLE001 - any failure to open is the finding
        return [f"{path}: does not open in openpyxl: {e}"]
    if not wb.sheetnames:
        problems.append(f"{path.name}: no sheets")
    for name in wb.sheetnames:
        check_sheet(f"{path.name}!{name}", wb[name], problems)
    if path.name.startswith("report-"):
        check_report(path, wb, problems)
    return problems


def self_test():
    """Bad workbooks must fail; a good one must pass."""
    with tempfile.TemporaryDirectory() as d:
        good = Path(d) / "good.xlsx"
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["Fecha", "Evento", "Asistencias"])
        ws.append([datetime.date(2026, 3, 1), "Taller", 12])
        ws["A2"].number_format = "yyyy-mm-dd"
        wb.save(good)
        assert check(good) == [], check(good)
        for bad_row, what in [
            ([datetime.date(2026, 3, 1), "Taller", "12"], "number stored as text"),
            (["2026-03-01", "Taller", 12], "date stored as text"),
        ]:
            p = Path(d) / "bad.xlsx"
            wb = openpyxl.Workbook()
            ws = wb.active
            ws.append(["Fecha", "Evento", "Asistencias"])
            ws.append(bad_row)
            wb.save(p)
            found = check(p)
            assert any(what in f for f in found), (what, found)
        p = Path(d) / "report-bad.xlsx"
        wb = openpyxl.Workbook()
        wb.active.title = "Eventos del periodo"
        wb.active.append(["Fecha"])
        wb.save(p)
        assert any("sheets" in f for f in check(p))
    print("check_xlsx.py self-test: ok")


def main(argv):
    if argv == ["--self-test"]:
        self_test()
        return 0
    if not argv:
        print("check_xlsx.py: no XLSX files to check (did the tests run with TEJIDO_TEST_ARTIFACTS?)", file=sys.stderr)
        return 1
    failed = 0
    for a in argv:
        p = Path(a)
        problems = check(p)
        if problems:
            failed += 1
            print(f"FAIL {p.name}")
            for x in problems:
                print(f"  {x}")
        else:
            wb = openpyxl.load_workbook(p, read_only=True)
            print(f"ok   {p.name}: {len(wb.sheetnames)} sheet(s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
