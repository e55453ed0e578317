// Shared plumbing of the browser flows (e2e/*-flow.mjs): arguments, a phone-sized Chromium,
// checks with readable problems, the per-page audit (axe-core WCAG 2.0/2.1 A/AA, page weight, no
// foreign requests, no script errors, no horizontal scroll at 360 px), sign-in and the summary.
// A flow calls `setup(name)` first, then `run(main)`.

import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));

export const BASE = (process.argv[2] || process.env.TEJIDO_E2E_BASE_URL || '').replace(/\/+$/, '');
export const PASSWORD = process.env.TEJIDO_DEMO_PASSWORD || '';
export const CHROMIUM = process.env.TEJIDO_CHROMIUM || '/usr/bin/chromium';
export const SLUG = 'justicia-penal-y-mediacion-en-oaxaca';
export const COMMUNITY = `/c/${SLUG}`;
export const MOBILE_WIDTH = 360;
export const MOBILE_HEIGHT = 780;
const PAGE_BUDGET_BYTES = 60 * 1024;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const NAV_TIMEOUT_MS = 20_000;
const TOTAL_TIMEOUT_MS = 10 * 60_000;

/** Unique per run, so the texts can be found again on pages that list older items too. */
export const RUN = Date.now().toString(36).slice(-5);

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

let NAME = 'flow';
let OUT = join(HERE, '..', 'out', NAME);
const BASE_ORIGIN = BASE ? new URL(BASE).origin : '';
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Names the flow (for messages and e2e/out/NAME/) and checks the arguments. */
export function setup(name) {
  NAME = name;
  OUT = join(HERE, '..', 'out', name);
  if (!BASE || !/^https?:\/\//.test(BASE)) {
    console.error(`usage: node e2e/${name}.mjs BASE_URL   (e.g. http://127.0.0.1:8080)`);
    process.exit(2);
  }
  if (!PASSWORD) {
    console.error(`${name}: TEJIDO_DEMO_PASSWORD is not set`);
    process.exit(2);
  }
}

/** Launches Chromium, runs `main(browser)`, prints the summary and exits with its status. */
export async function run(main) {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const deadline = setTimeout(() => {
    console.log(`${NAME}: gave up after ${TOTAL_TIMEOUT_MS / 60_000} minutes`);
    report();
    process.exit(1);
  }, TOTAL_TIMEOUT_MS);
  let crashed = false;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  console.log(`${NAME}: ${BASE} with ${CHROMIUM} (${browser.version()}), ${MOBILE_WIDTH}×${MOBILE_HEIGHT}, run ${RUN}`);
  try {
    await main(browser);
  } catch (err) {
    crashed = true;
    console.log(`${NAME}: aborted: ${err && err.stack ? err.stack : err}`);
  } finally {
    await browser.close().catch(() => {});
  }
  clearTimeout(deadline);
  const failures = report();
  process.exit(crashed || failures > 0 || results.length === 0 ? 1 : 0);
}

function report() {
  const failed = results.filter((r) => r.problems.length > 0);
  const passed = results.length - failed.length;
  if (failed.length > 0) {
    console.log('');
    console.log(`${NAME}: ${failed.length} check(s) failed:`);
    for (const r of failed) {
      console.log(`  ${r.name}`);
      for (const p of r.problems) console.log(`    - ${p}`);
    }
  }
  console.log(`${NAME}: screenshots in ${OUT}`);
  console.log('');
  console.log(`${passed} passed, ${failed.length} failed`);
  return failed.length;
}

// ---------------------------------------------------------------------------------------------
// Bookkeeping

const results = []; // { name, problems: string[], ms }
let shotCounter = 0;

function slug(s) {
  return s.replace(/^\/+/, '').replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '') || 'home';
}

/** Runs one named check; `fn` receives a `problems` array to push readable failures into. */
export async function check(name, fn) {
  const started = Date.now();
  const problems = [];
  problems.info = [];
  try {
    await fn(problems);
  } catch (err) {
    problems.push(`error: ${oneLine(err && err.message ? err.message : String(err))}`);
  }
  const ms = Date.now() - started;
  results.push({ name, problems, ms });
  const mark = problems.length === 0 ? 'PASS' : 'FAIL';
  const info = [`${(ms / 1000).toFixed(1)} s`, ...problems.info].join('; ');
  console.log(`${mark}  ${name}  (${info})`);
  for (const p of problems) console.log(`      - ${p}`);
  return problems.length === 0;
}

export function oneLine(s) {
  const first = String(s).split('\n').filter((l) => l.trim() !== '')[0] || String(s);
  return first.length > 300 ? `${first.slice(0, 300)}…` : first;
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

export function squash(s) {
  return String(s).replace(/\s+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// Dates, as the forms type them

export const pad = (n) => String(n).padStart(2, '0');
/** YYYY-MM-DD of now + `days`, in UTC (a day's slack either way never matters here). */
export function day(days) {
  const d = new Date(Date.now() + days * 86_400_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

// ---------------------------------------------------------------------------------------------
// Browser plumbing (always phone-sized)

export async function newPhoneContext(browser) {
  const context = await browser.newContext({
    baseURL: BASE,
    // axe is injected as an inline script; a strict CSP (as it should be) would block it.
    bypassCSP: true,
    viewport: { width: MOBILE_WIDTH, height: MOBILE_HEIGHT },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    locale: 'es-MX',
  });
  context.setDefaultNavigationTimeout(NAV_TIMEOUT_MS);
  context.setDefaultTimeout(NAV_TIMEOUT_MS);
  return context;
}

export async function newPage(context) {
  const page = await context.newPage();
  page._foreign = [];
  page._errors = [];
  page._failedResponses = [];
  page.on('request', (req) => {
    const url = req.url();
    if (/^(data|blob|about):/.test(url)) return;
    let origin;
    try {
      origin = new URL(url).origin;
    } catch {
      origin = url;
    }
    if (origin !== BASE_ORIGIN) page._foreign.push(url);
  });
  page.on('pageerror', (err) => page._errors.push(`uncaught script error: ${oneLine(err.message)}`));
  page.on('response', (res) => {
    const url = new URL(res.url(), BASE);
    if (url.pathname === '/favicon.ico') return;
    if (res.status() >= 400 && res.request().resourceType() !== 'document') {
      page._failedResponses.push(`${res.status()} ${url.pathname}${url.search}`);
    }
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  return page;
}

export function resetPageRecords(page) {
  page._foreign.length = 0;
  page._errors.length = 0;
  page._failedResponses.length = 0;
}

export function pathOf(page) {
  return new URL(page.url()).pathname;
}

/** Navigates and insists on a 2xx answer at the path asked for (no bounce to /login). */
export async function visit(page, path, problems) {
  resetPageRecords(page);
  const response = await page.goto(path, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
  if (!response) {
    problems.push(`no response for ${path}`);
    return false;
  }
  const status = response.status();
  const finalPath = pathOf(page);
  if (status < 200 || status >= 300) problems.push(`HTTP ${status} for ${path}`);
  if (finalPath !== new URL(path, BASE).pathname) {
    problems.push(`asked for ${path} but ended on ${finalPath}`);
  }
  return status >= 200 && status < 300 && finalPath === new URL(path, BASE).pathname;
}

/**
 * Clicks a submit button and waits for the page it leads to. A refused form (4xx, or the form
 * page again with errors) is reported with the page's own error messages.
 */
export async function submit(page, button, problems, what) {
  resetPageRecords(page);
  if ((await button.count()) === 0) {
    problems.push(`${what}: the submit button is not on ${pathOf(page)}`);
    return false;
  }
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    button.first().click(),
  ]);
  const status = response ? response.status() : 0;
  if (status < 200 || status >= 300) {
    const said = await pageErrors(page);
    problems.push(`${what}: HTTP ${status} on ${pathOf(page)}${said ? ` — the page says: ${said}` : ''}`);
    return false;
  }
  return true;
}

/** The error messages a form page shows (alerts and field errors), for reports. */
export async function pageErrors(page) {
  const texts = await page
    .locator('.alert, p.error, [role="alert"]')
    .allInnerTexts()
    .catch(() => []);
  const out = texts.map(squash).filter(Boolean);
  if (out.length) return out.join(' | ').slice(0, 400);
  const body = await page.locator('main').innerText().catch(() => '');
  return squash(body).slice(0, 200);
}

/** Everything checked on every page: axe, weight, foreign requests, errors, 360 px fit. */
export async function auditPage(page, label, problems) {
  const lang = await page.evaluate(() => document.documentElement.getAttribute('lang'));
  if (lang !== 'es-MX') problems.push(`expected <html lang="es-MX">, got "${lang}"`);

  const hasAxe = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!hasAxe) await page.addScriptTag({ content: AXE_SOURCE });
  const axe = await page.evaluate(
    async (tags) => {
      const r = await window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        count: v.nodes.length,
        targets: v.nodes.slice(0, 3).map((n) => n.target.map(String).join(' ')),
      }));
    },
    AXE_TAGS,
  );
  for (const v of axe) {
    const more = v.count > v.targets.length ? ` (+${v.count - v.targets.length} more)` : '';
    problems.push(
      `axe ${v.id} [${v.impact}] ${v.help} — at ${v.targets.map((t) => `\`${t}\``).join(', ')}${more}`,
    );
  }

  const weight = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0];
    const entries = [nav, ...performance.getEntriesByType('resource')].filter(Boolean);
    return {
      total: entries.reduce((sum, e) => sum + (e.transferSize || 0), 0),
      items: entries
        .map((e) => ({ name: e.name, size: e.transferSize || 0 }))
        .sort((a, b) => b.size - a.size)
        .slice(0, 4),
    };
  });
  problems.info.push(kb(weight.total));
  if (weight.total > PAGE_BUDGET_BYTES) {
    const top = weight.items
      .map((i) => `${new URL(i.name, BASE).pathname} ${kb(i.size)}`)
      .join(', ');
    problems.push(`page weight ${kb(weight.total)} exceeds ${kb(PAGE_BUDGET_BYTES)} (largest: ${top})`);
  }

  for (const url of [...new Set(page._foreign)]) problems.push(`request to another host: ${url}`);
  for (const e of page._errors) problems.push(e);
  for (const f of [...new Set(page._failedResponses)]) problems.push(`subresource failed: ${f}`);

  const sw = await page.evaluate(() => document.documentElement.scrollWidth);
  if (sw > MOBILE_WIDTH) {
    const culprits = await widestElements(page);
    problems.push(
      `horizontal scroll at ${MOBILE_WIDTH} px: scrollWidth ${sw}` +
        (culprits.length ? ` (overflowing: ${culprits.join(', ')})` : ''),
    );
  }

  shotCounter += 1;
  const file = join(OUT, `${String(shotCounter).padStart(2, '0')}-${slug(label)}.png`);
  await page.screenshot({ path: file, fullPage: true }).catch(() => {});
}

/** The few innermost elements that stick out past the right edge, to point at the cause. */
async function widestElements(page) {
  return page.evaluate((limit) => {
    const sticksOut = (el) => {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) return false;
      return r.right > limit + 1 || r.left + el.scrollWidth > limit + 1;
    };
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      if (!sticksOut(el) || [...el.children].some(sticksOut)) continue;
      let sel = el.tagName.toLowerCase();
      if (el.id) sel += `#${el.id}`;
      else if (el.classList.length) sel += `.${[...el.classList].slice(0, 2).join('.')}`;
      const r = el.getBoundingClientRect();
      out.push(`${sel} (${Math.round(Math.max(r.right, r.left + el.scrollWidth))} px)`);
      if (out.length >= 3) break;
    }
    return out;
  }, MOBILE_WIDTH);
}

/** Audits the page the flow is on as its own check, once per (who, path). */
const audited = new Set();
export async function auditHere(page, who) {
  const url = new URL(page.url());
  const key = `${who} ${url.pathname}`;
  if (audited.has(key)) return;
  audited.add(key);
  await check(`${who}, ${MOBILE_WIDTH} px: ${url.pathname}`, async (problems) => {
    await auditPage(page, `${who}-${url.pathname}`, problems);
  });
}

export async function signIn(page, email, problems) {
  resetPageRecords(page);
  const res = await page.goto('/login');
  if (!res || res.status() !== 200) {
    problems.push(`GET /login answered ${res ? res.status() : 'nothing'}`);
    return false;
  }
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(PASSWORD);
  const button = page.locator('form:has(input[name="password"]) [type="submit"], form:has(input[name="password"]) button:not([type])');
  if (!(await submit(page, button, problems, `sign in as ${email}`))) return false;
  const path = pathOf(page);
  if (path !== '/') {
    problems.push(`after signing in as ${email}, landed on ${path} instead of / (page says: "${await pageErrors(page)}")`);
    return false;
  }
  if ((await page.locator('form[action="/logout"]').count()) === 0) {
    problems.push(`signed in as ${email} but the page has no sign-out form`);
    return false;
  }
  return true;
}

/** Chooses the option of a <select> whose label contains `text`; false when there is none. */
export async function selectByLabelText(select, text) {
  const value = await select.evaluate(
    (el, t) => [...el.options].find((o) => o.textContent.includes(t))?.value ?? null,
    text,
  );
  if (value === null || value === '') return false;
  await select.selectOption(value);
  return true;
}

/** The first non-empty option value of a <select>. */
export async function firstOption(select) {
  return select.evaluate((el) => [...el.options].map((o) => o.value).find((v) => v !== '') ?? null);
}
