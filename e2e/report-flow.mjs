// Browser test of a whole event, on a phone: drives Debian's Chromium through a real
// Browser test of the funder-ready report: drives Debian's Chromium through a real
// `tejido serve --demo` (issue 9's "Done when").
//
// Usage: TEJIDO_DEMO_PASSWORD=... node e2e/report-flow.mjs http://127.0.0.1:PORT
//
// At 360×780 (isMobile, hasTouch) and in Spanish, the leader signs in and opens the report of
// the demo's first community: twelve numbered sections, tables with captions, the SVG charts
// (participation, network change, and the ownership trend and sustainability radar when the demo
// has them), the XLSX and a CSV dataset; a bad period is refused with a Spanish message; the
// report is printed to PDF through Chromium (page.pdf, A4, with an outline) and
// scripts/check_pdf.py (pypdf) checks the PDF has the twelve sections, one per page; the page is
// audited like e2e/smoke.mjs does it (axe-core, weight, no foreign requests, no script errors,
// no horizontal scroll at 360 px); /reports lists the community. The last line printed is
// `N passed, M failed`. Screenshots and the PDF go to e2e/out/report-flow/.
//
// The PDF check needs Python with pypdf: TEJIDO_PYTHON (scripts/test sets it to its venv),
// else ~/.cache/tejido-test/py-venv/bin/python, else python3.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  COMMUNITY, auditHere, check, newPage, newPhoneContext, pageErrors, resetPageRecords, run, setup,
  signIn, squash, visit,
} from './lib/flow.mjs';

setup('report-flow');

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, 'out', 'report-flow');
const LEADER = 'lider@example.org';
const REPORT = `${COMMUNITY}/report`;
const SECTIONS = 12;

function python() {
  if (process.env.TEJIDO_PYTHON) return process.env.TEJIDO_PYTHON;
  const venv = join(homedir(), '.cache', 'tejido-test', 'py-venv', 'bin', 'python');
  return existsSync(venv) ? venv : 'python3';
}

// ---------------------------------------------------------------------------------------------
// The flow

async function main(browser) {
  mkdirSync(OUT, { recursive: true });
  {
    const ctx = await newPhoneContext(browser);
    const page = await newPage(ctx);

    const opened = await check('1. leader signs in and opens the report', async (problems) => {
      if (!(await signIn(page, LEADER, problems))) return;
      if (!(await visit(page, REPORT, problems))) return;
      await auditHere(page, 'leader');
    });
    if (!opened) return;

    await check(`2. the report has ${SECTIONS} numbered sections, captioned tables and charts`, async (problems) => {
      const heads = (await page.locator('section.report-section > h2').allInnerTexts()).map(squash);
      if (heads.length !== SECTIONS) problems.push(`expected ${SECTIONS} sections, found ${heads.length}: ${heads.join(' | ')}`);
      heads.forEach((h, i) => {
        if (!h.startsWith(`${i + 1}. `)) problems.push(`section ${i + 1} is titled "${h}"`);
      });
      for (const want of ['Participación desagregada', 'Cambios en la red frente a la línea base', 'Alcances significativos por tema', 'Sostenibilidad por dimensión']) {
        if (!heads.some((h) => h.includes(want))) problems.push(`no section "${want}"`);
      }
      const tables = await page.locator('section.report-section table').count();
      const captions = await page.locator('section.report-section table > caption').count();
      if (tables < 6) problems.push(`only ${tables} tables`);
      if (captions !== tables) problems.push(`${tables} tables but ${captions} captions`);
      const charts = await page.locator('figure.chart svg[role="img"]').count();
      if (charts < 2) problems.push(`expected the participation and network charts at least, found ${charts} SVG charts`);
      for (const id of ['#s-participation', '#s-network']) {
        if ((await page.locator(`${id} svg`).count()) === 0) problems.push(`no chart in ${id}`);
      }
      problems.info.push(`${tables} tables, ${charts} charts`);
      const radar = await page.locator('#s-sustainability svg').count();
      const themes = await page.locator('#s-outcomes tbody tr').count();
      problems.info.push(`radar: ${radar ? 'yes' : 'no'}, outcome rows: ${themes}`);
    });

    await check('3. the datasets download: XLSX and CSV', async (problems) => {
      const x = await page.request.get(`${REPORT}.xlsx`);
      if (x.status() !== 200) problems.push(`XLSX answered ${x.status()}`);
      const body = await x.body();
      if (body.subarray(0, 2).toString() !== 'PK') problems.push('the XLSX is not a ZIP');
      if (!String(x.headers()['content-type']).includes('spreadsheetml')) problems.push(`XLSX type ${x.headers()['content-type']}`);
      writeFileSync(join(OUT, 'report.xlsx'), body);
      const links = await page.locator('a[href*="report.csv"]').count();
      if (links < 10) problems.push(`only ${links} CSV links`);
      const c = await page.request.get(`${REPORT}.csv?table=events`);
      if (c.status() !== 200) problems.push(`CSV answered ${c.status()}`);
      const text = await c.text();
      if (!text.startsWith('\ufeff')) problems.push('the CSV has no BOM');
    });

    await check('4. a bad period is refused in Spanish', async (problems) => {
      resetPageRecords(page);
      const res = await page.goto(`${REPORT}?from=2026-06-01&to=2026-01-01`);
      if (!res || res.status() !== 422) problems.push(`expected 422, got ${res ? res.status() : 'nothing'}`);
      const said = await pageErrors(page);
      if (!said.includes('La fecha inicial debe ser anterior o igual a la final')) problems.push(`the page says: ${said}`);
    });

    await check(`5. printed to PDF (A4) the report has ${SECTIONS} sections`, async (problems) => {
      if (!(await visit(page, REPORT, problems))) return;
      await page.emulateMedia({ media: 'print' });
      const hidden = await page.evaluate(() => {
        const top = document.querySelector('header.top');
        return top ? getComputedStyle(top).display === 'none' : true;
      });
      if (!hidden) problems.push('the site navigation is printed');
      const pdf = join(OUT, 'report.pdf');
      await page.pdf({ path: pdf, format: 'A4', printBackground: true, outline: true, tagged: true });
      await page.emulateMedia({ media: 'screen' });
      const head = readFileSync(pdf).subarray(0, 5).toString();
      if (head !== '%PDF-') problems.push(`not a PDF: ${head}`);
      try {
        const out = execFileSync(
          python(),
          [join(HERE, '..', 'scripts', 'check_pdf.py'), pdf, String(SECTIONS), 'Participación desagregada', 'Lecciones aprendidas'],
          { encoding: 'utf8' },
        );
        problems.info.push(squash(out));
      } catch (err) {
        problems.push(`scripts/check_pdf.py: ${squash(`${err.stdout || ''} ${err.stderr || ''}`) || err.message}`);
      }
    });

    await check('6. /reports lists the community with a link to its report', async (problems) => {
      if (!(await visit(page, '/reports', problems))) return;
      await auditHere(page, 'leader');
      if ((await page.locator(`a[href^="${REPORT}?"]`).count()) === 0) problems.push(`no link to ${REPORT}`);
    });

    await ctx.close();
  }
}

await run(main);
