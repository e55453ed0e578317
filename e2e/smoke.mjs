// Browser smoke test: drives Debian's Chromium through a real `tejido serve --demo`.
//
// Usage: TEJIDO_DEMO_PASSWORD=... node e2e/smoke.mjs http://127.0.0.1:PORT
//
// It owns the checks a person would notice first: sign-in works, the interface speaks
// Spanish by default and English after the language switch, every page passes axe-core's
// WCAG 2.1 A/AA rules, stays under the page-weight budget, loads nothing from another
// host, and fits a 360 px wide phone without horizontal scrolling. Each page visit is
// one check; so is each flow (sign-in, language switch, community page, sign-out). The
// last line printed is `N passed, M failed`. Screenshots go to e2e/out/ for humans.

import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(HERE, 'out');

const BASE = (process.argv[2] || process.env.TEJIDO_E2E_BASE_URL || '').replace(/\/+$/, '');
const PASSWORD = process.env.TEJIDO_DEMO_PASSWORD || '';
const CHROMIUM = process.env.TEJIDO_CHROMIUM || '/usr/bin/chromium';

const ADMIN = 'admin@example.org';
const MEMBER = 'integrante@example.org';
const PAGE_BUDGET_BYTES = 60 * 1024;
const MOBILE_WIDTH = 360;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const NAV_TIMEOUT_MS = 20_000;
const TOTAL_TIMEOUT_MS = 10 * 60_000;

// Pages audited for every signed-in admin; /login and /password/forgot are audited signed out.
const SIGNED_IN_PAGES = [
  '/',
  '/communities',
  '/directory/organizations',
  '/directory/people',
  '/account',
  '/admin',
  '/communities/new',
  '/c/justicia-penal-y-mediacion-en-oaxaca/members',
  '/c/justicia-penal-y-mediacion-en-oaxaca/members?history=1&find=oaxaca',
  '/c/justicia-penal-y-mediacion-en-oaxaca/edit',
  '/directory/organizations/1',
  '/directory/organizations/new',
  '/directory/people/1',
  '/directory/people/new',
  '/c/justicia-penal-y-mediacion-en-oaxaca/governance',
  '/c/justicia-penal-y-mediacion-en-oaxaca/objectives/1',
  '/c/justicia-penal-y-mediacion-en-oaxaca/charter',
  '/c/justicia-penal-y-mediacion-en-oaxaca/charter/versions/1',
  '/c/justicia-penal-y-mediacion-en-oaxaca/charter/edit',
  '/c/justicia-penal-y-mediacion-en-oaxaca/decisions',
  '/c/justicia-penal-y-mediacion-en-oaxaca/decisions/1',
  '/c/justicia-penal-y-mediacion-en-oaxaca/decisions/new',
  '/c/justicia-penal-y-mediacion-en-oaxaca/rotation',
  '/c/justicia-penal-y-mediacion-en-oaxaca/events',
  '/c/justicia-penal-y-mediacion-en-oaxaca/events/1',
  '/c/justicia-penal-y-mediacion-en-oaxaca/events/1/agenda',
  '/c/justicia-penal-y-mediacion-en-oaxaca/events/1/minutes',
  '/c/justicia-penal-y-mediacion-en-oaxaca/ownership',
  '/c/justicia-penal-y-mediacion-en-oaxaca/polls',
  '/c/justicia-penal-y-mediacion-en-oaxaca/reviews',
  '/c/justicia-penal-y-mediacion-en-oaxaca/network',
  '/library',
  '/library/1',
  '/library/1/history',
  '/library/new',
  '/search?q=mediacion',
  '/support',
  '/support/asks/1',
  '/support/asks/new',
  '/support/offers',
  '/c/justicia-penal-y-mediacion-en-oaxaca/library',
  '/c/justicia-penal-y-mediacion-en-oaxaca/discussions',
  '/c/justicia-penal-y-mediacion-en-oaxaca/discussions/1',
  '/c/justicia-penal-y-mediacion-en-oaxaca/discussions/new',
  '/c/justicia-penal-y-mediacion-en-oaxaca/onboarding',
  '/c/justicia-penal-y-mediacion-en-oaxaca/outcomes',
  '/c/justicia-penal-y-mediacion-en-oaxaca/outcomes/new',
  '/c/justicia-penal-y-mediacion-en-oaxaca/projects',
  '/c/justicia-penal-y-mediacion-en-oaxaca/sustainability',
  '/c/justicia-penal-y-mediacion-en-oaxaca/funding',
  '/c/justicia-penal-y-mediacion-en-oaxaca/report',
  '/reports',
  '/c/justicia-penal-y-mediacion-en-oaxaca/discussions/1/edit',
  '/discussions/digest',
  '/c/justicia-penal-y-mediacion-en-oaxaca/outcomes/1',
  '/c/justicia-penal-y-mediacion-en-oaxaca/projects/new',
  '/c/justicia-penal-y-mediacion-en-oaxaca/projects/1',
  '/c/justicia-penal-y-mediacion-en-oaxaca/sustainability/rounds/1',
  '/c/justicia-penal-y-mediacion-en-oaxaca/sustainability/rounds/2',
  '/c/justicia-penal-y-mediacion-en-oaxaca/sustainability/rounds/2/rate',
  '/c/justicia-penal-y-mediacion-en-oaxaca/funding/costs',
  '/c/justicia-penal-y-mediacion-en-oaxaca/funding/contributions',
  '/c/justicia-penal-y-mediacion-en-oaxaca/funding/assets',
  '/c/justicia-penal-y-mediacion-en-oaxaca/funding/pipeline',
  '/c/justicia-penal-y-mediacion-en-oaxaca/funding/pipeline/3',
  '/c/justicia-penal-y-mediacion-en-oaxaca/funding/transparency',
  '/c/justicia-penal-y-mediacion-en-oaxaca/report/funders',
  '/c/justicia-penal-y-mediacion-en-oaxaca/onboarding/print',
  '/support/offers/new',
];
const SIGNED_OUT_PAGES = ['/login', '/password/forgot'];

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

if (!BASE || !/^https?:\/\//.test(BASE)) {
  console.error('usage: node e2e/smoke.mjs BASE_URL   (e.g. http://127.0.0.1:8080)');
  process.exit(2);
}
if (!PASSWORD) {
  console.error('smoke: TEJIDO_DEMO_PASSWORD is not set');
  process.exit(2);
}

const BASE_ORIGIN = new URL(BASE).origin;
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// ---------------------------------------------------------------------------------------------
// Bookkeeping

const results = []; // { name, problems: string[], ms }
let shotCounter = 0;

function slug(s) {
  return s.replace(/^\/+/, '').replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '') || 'home';
}

/** Runs one named check; `fn` receives a `problems` array to push readable failures into. */
async function check(name, fn) {
  const started = Date.now();
  const problems = [];
  problems.info = []; // short facts shown beside the verdict, such as the page weight
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

function oneLine(s) {
  const first = String(s).split('\n').filter((l) => l.trim() !== '')[0] || String(s);
  return first.length > 300 ? `${first.slice(0, 300)}…` : first;
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

// ---------------------------------------------------------------------------------------------
// Browser plumbing

/**
 * A context whose pages record every request that leaves the server's origin and every
 * uncaught script error, with the HTTP cache off so each visit is weighed as a first visit.
 */
async function newContext(browser, options = {}) {
  const context = await browser.newContext({
    baseURL: BASE,
    // axe is injected as an inline script; a strict CSP (as it should be) would block it.
    bypassCSP: true,
    viewport: { width: 1280, height: 800 },
    locale: 'es-MX',
    ...options,
  });
  context.setDefaultNavigationTimeout(NAV_TIMEOUT_MS);
  context.setDefaultTimeout(NAV_TIMEOUT_MS);
  return context;
}

async function newPage(context) {
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
    // Chromium asks for /favicon.ico on its own; a page that declares no icon is not at fault.
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

function resetPageRecords(page) {
  page._foreign.length = 0;
  page._errors.length = 0;
  page._failedResponses.length = 0;
}

/** Navigates and insists on a 2xx answer at the path asked for (no bounce to /login). */
async function visit(page, path, problems) {
  resetPageRecords(page);
  const response = await page.goto(path, { waitUntil: 'load' });
  await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => {});
  if (!response) {
    problems.push(`no response for ${path}`);
    return false;
  }
  const status = response.status();
  const finalPath = new URL(page.url()).pathname;
  if (status < 200 || status >= 300) problems.push(`HTTP ${status} for ${path}`);
  if (finalPath !== new URL(path, BASE).pathname) {
    problems.push(`asked for ${path} but ended on ${finalPath}`);
  }
  return status >= 200 && status < 300;
}

/** Everything checked on every page, whatever the flow that brought us there. */
async function auditPage(page, label, problems, { mobile = false } = {}) {
  // Lang attribute must be present: screen readers pick their voice from it.
  const lang = await page.evaluate(() => document.documentElement.getAttribute('lang'));
  if (!lang) problems.push('<html> has no lang attribute');

  // axe-core, WCAG 2.0/2.1 A and AA.
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

  // Page weight: the document plus every resource it pulled, as transferred (cache is off).
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

  // Nothing may leave the server: no CDN, font service, analytics or embed.
  for (const url of [...new Set(page._foreign)]) problems.push(`request to another host: ${url}`);
  for (const e of page._errors) problems.push(e);
  for (const f of [...new Set(page._failedResponses)]) problems.push(`subresource failed: ${f}`);

  if (mobile) {
    const scroll = await page.evaluate(() => ({
      sw: document.documentElement.scrollWidth,
      cw: document.documentElement.clientWidth,
    }));
    if (scroll.sw > MOBILE_WIDTH) {
      const culprits = await widestElements(page);
      problems.push(
        `horizontal scroll at ${MOBILE_WIDTH} px: scrollWidth ${scroll.sw}` +
          (culprits.length ? ` (overflowing: ${culprits.join(', ')})` : ''),
      );
    }
  }

  shotCounter += 1;
  const file = join(OUT, `${String(shotCounter).padStart(2, '0')}-${slug(label.replace(/\/$/, '/home'))}.png`);
  await page.screenshot({ path: file, fullPage: true }).catch(() => {});

  return { lang, weight: weight.total };
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

async function htmlLang(page) {
  return page.evaluate(() => document.documentElement.getAttribute('lang'));
}

async function visibleText(page) {
  return page.evaluate(() => document.body.innerText.replace(/\s+/g, ' ').trim());
}

async function signIn(page, email, problems) {
  resetPageRecords(page);
  const res = await page.goto('/login');
  if (!res || res.status() !== 200) {
    problems.push(`GET /login answered ${res ? res.status() : 'nothing'}`);
    return false;
  }
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(PASSWORD);
  const submit = page.locator('form:has(input[name="password"]) [type="submit"], form:has(input[name="password"]) button:not([type])').first();
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), submit.click()]);
  const path = new URL(page.url()).pathname;
  if (path !== '/') {
    const text = (await visibleText(page)).slice(0, 200);
    problems.push(`after signing in as ${email}, landed on ${path} instead of / (page says: "${text}")`);
    return false;
  }
  const logout = await page.locator('form[action="/logout"]').count();
  if (logout === 0) {
    problems.push(`signed in as ${email} but the page has no sign-out form (form[action="/logout"])`);
    return false;
  }
  return true;
}

async function switchLanguage(page, lang, problems) {
  const button = page.locator(`form[action="/language"] button[name="lang"][value="${lang}"]`).first();
  if ((await button.count()) === 0) {
    problems.push(`no language button form[action="/language"] button[name=lang][value=${lang}] on ${new URL(page.url()).pathname}`);
    return false;
  }
  const csrf = await page.locator('form[action="/language"] input[type="hidden"][name="_csrf"]').count();
  if (csrf === 0) problems.push('language form has no hidden _csrf input');
  const [response] = await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    button.click(),
  ]);
  if (response && response.status() >= 400) {
    problems.push(`switching to ${lang} answered HTTP ${response.status()}`);
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// The run

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });

  // Playwright's launch() gives Chromium a fresh, empty --user-data-dir of its own in the
  // temp directory and removes it on close (passing one in args is refused).
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  console.log(`smoke: ${BASE} with ${CHROMIUM} (${browser.version()})`);

  try {
    // -- Signed out -----------------------------------------------------------------------
    const anon = await newContext(browser);
    const anonPage = await newPage(anon);
    for (const path of SIGNED_OUT_PAGES) {
      await check(`signed out, es-MX: ${path}`, async (problems) => {
        if (!(await visit(anonPage, path, problems))) return;
        const { lang } = await auditPage(anonPage, `anon-es-${path}`, problems);
        if (lang !== 'es-MX') problems.push(`expected <html lang="es-MX">, got "${lang}"`);
      });
    }
    await check(`signed out: /admin is refused`, async (problems) => {
      resetPageRecords(anonPage);
      const res = await anonPage.goto('/admin');
      const path = new URL(anonPage.url()).pathname;
      if (res && res.status() === 200 && path === '/admin') {
        problems.push('an anonymous visitor got /admin with HTTP 200');
      }
    });
    await anon.close();

    // -- Admin, Spanish --------------------------------------------------------------------
    const admin = await newContext(browser);
    const page = await newPage(admin);
    const signedIn = await check(`sign in as ${ADMIN}`, async (problems) => {
      await signIn(page, ADMIN, problems);
      const lang = await htmlLang(page);
      if (lang !== 'es-MX') problems.push(`expected Spanish first (<html lang="es-MX">), got "${lang}"`);
    });
    if (!signedIn) {
      console.log('smoke: cannot go on without a signed-in admin');
      return;
    }

    const spanishText = {};
    for (const path of SIGNED_IN_PAGES) {
      await check(`admin, es-MX: ${path}`, async (problems) => {
        if (!(await visit(page, path, problems))) return;
        const { lang } = await auditPage(page, `admin-es-${path}`, problems);
        if (lang !== 'es-MX') problems.push(`expected <html lang="es-MX">, got "${lang}"`);
        spanishText[path] = await visibleText(page);
      });
    }

    // -- Language switch -------------------------------------------------------------------
    await check('switch language to English', async (problems) => {
      if (!(await visit(page, '/communities', problems))) return;
      const before = await visibleText(page);
      if (!(await switchLanguage(page, 'en', problems))) return;
      const landed = new URL(page.url()).pathname;
      if (landed !== '/communities') {
        // Not wrong by contract, but worth knowing: the switch should keep the reader in place.
        console.log(`      note: after switching language the browser is on ${landed}`);
      }
      await page.goto('/communities');
      const lang = await htmlLang(page);
      if (lang !== 'en') problems.push(`expected <html lang="en"> after switching, got "${lang}"`);
      const after = await visibleText(page);
      if (after === before) problems.push('visible text of /communities did not change after switching to English');
    });

    for (const path of SIGNED_IN_PAGES) {
      await check(`admin, en: ${path}`, async (problems) => {
        if (!(await visit(page, path, problems))) return;
        const { lang } = await auditPage(page, `admin-en-${path}`, problems);
        if (lang !== 'en') problems.push(`expected <html lang="en">, got "${lang}"`);
        if (spanishText[path] !== undefined && spanishText[path] === (await visibleText(page))) {
          problems.push('visible text is identical to the Spanish page');
        }
      });
    }

    // -- A community -----------------------------------------------------------------------
    let communityPath = null;
    await check('open the first community from /communities', async (problems) => {
      if (!(await visit(page, '/communities', problems))) return;
      const link = page.locator('a[href^="/c/"]').first();
      if ((await link.count()) === 0) {
        problems.push('no community link a[href^="/c/"] on /communities (the demo data should have some)');
        return;
      }
      const href = await link.getAttribute('href');
      const linkText = (await link.innerText()).replace(/\s+/g, ' ').trim();
      communityPath = new URL(href, BASE).pathname;
      resetPageRecords(page);
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), link.click()]);
      const landed = new URL(page.url()).pathname;
      if (landed !== communityPath) problems.push(`clicked ${href} but landed on ${landed}`);
      const h1s = page.locator('h1');
      const n = await h1s.count();
      if (n !== 1) problems.push(`expected exactly one <h1> on ${communityPath}, found ${n}`);
      if (n === 0) return;
      const h1 = (await h1s.first().innerText()).replace(/\s+/g, ' ').trim();
      if (!h1) problems.push(`<h1> on ${communityPath} is empty`);
      else if (!linkText.includes(h1) && !h1.includes(linkText)) {
        problems.push(`<h1> "${h1}" does not match the link text "${linkText}"`);
      }
      const { lang } = await auditPage(page, `admin-en-${communityPath}`, problems);
      if (lang !== 'en') problems.push(`expected <html lang="en">, got "${lang}"`);
    });

    // -- Back to Spanish -------------------------------------------------------------------
    await check('switch language back to Español', async (problems) => {
      if (!(await visit(page, '/', problems))) return;
      if (!(await switchLanguage(page, 'es-MX', problems))) return;
      await page.goto('/');
      const lang = await htmlLang(page);
      if (lang !== 'es-MX') problems.push(`expected <html lang="es-MX"> after switching back, got "${lang}"`);
    });

    // -- Governance through the browser alone: a goal with an objective makes a phase
    // condition hold, a charter draft is compared with the adopted version, then adopted. --
    await check('governance: goal, objective, phase condition, charter diff and adoption', async (problems) => {
      const gov = '/c/red-norte-de-prevencion-de-la-violencia/governance';
      if (!(await visit(page, gov, problems))) return;
      const goalForm = page.locator('form[action$="/goals"]');
      await goalForm.locator('input[name="title"]').fill('Compartir metodologías de mentoría entre pares');
      await goalForm.locator('select[name="horizon"]').selectOption('medium');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), goalForm.locator('button[type="submit"]').click()]);
      const goal = page.locator('article.goal', { hasText: 'Compartir metodologías de mentoría entre pares' });
      if ((await goal.count()) !== 1) { problems.push('the new goal is not on the governance page'); return; }
      await goal.locator('summary').click();
      const obForm = goal.locator('form');
      await obForm.locator('input[name="title"]').fill('Sistematizar dos modelos de mentoría');
      await obForm.locator('input[name="indicator"]').fill('Modelos sistematizados');
      await obForm.locator('input[name="target"]').fill('2');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), obForm.locator('button[type="submit"]').click()]);
      const body = await page.locator('main').innerText();
      if (!body.includes('Sistematizar dos modelos de mentoría')) problems.push('the new objective is not shown');
      // Every goal of this community now has objectives: the first phase condition holds.
      const first = page.locator('ul.checks').first().locator('li').first();
      const cls = await first.getAttribute('class');
      if (cls !== 'met') problems.push(`expected the first phase condition to be met, got class "${cls}"`);
      await auditPage(page, 'governance-after-goal', problems);
      // Charter: propose a change to the adopted charter, compare, adopt by vote.
      const charter = '/c/justicia-penal-y-mediacion-en-oaxaca/charter';
      if (!(await visit(page, `${charter}/edit`, problems))) return;
      const effort = page.locator('textarea[name="effort"]');
      await effort.fill('Un encuentro presencial cada bimestre y una sesión en línea al mes.');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator(`form[action="${charter}/edit"] button[type="submit"]`).first().click()]);
      if (!(await visit(page, `${charter}/compare?a=1&b=2`, problems))) return;
      if ((await page.locator('ins').count()) === 0 || (await page.locator('del').count()) === 0) problems.push('the comparison shows no <ins>/<del>');
      await auditPage(page, 'charter-compare', problems);
      if (!(await visit(page, `${charter}/versions/2`, problems))) return;
      const adopt = page.locator('form[action$="/adopt"]');
      if ((await adopt.count()) !== 1) { problems.push('no adopt form on the draft'); return; }
      await adopt.locator('input[name="title"]').fill('Adoptamos la versión 2 de la carta');
      await adopt.locator('select[name="method"]').selectOption('vote');
      await adopt.locator('input[name="votes_for"]').fill('11');
      await adopt.locator('input[name="votes_against"]').fill('2');
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), adopt.locator('button[type="submit"]').click()]);
      if (!(await visit(page, '/c/justicia-penal-y-mediacion-en-oaxaca/decisions', problems))) return;
      const log = await page.locator('main').innerText();
      if (!log.includes('Adoptamos la versión 2 de la carta')) problems.push('the adoption is not in the decision log');
      if (!log.includes('11')) problems.push('the vote counts are not shown in the decision log');
    });

    // -- Phone width -----------------------------------------------------------------------
    const phone = await newContext(browser, {
      storageState: await admin.storageState(),
      viewport: { width: MOBILE_WIDTH, height: 780 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    const phonePage = await newPage(phone);
    const phonePaths = [...SIGNED_IN_PAGES, ...(communityPath ? [communityPath] : [])];
    for (const path of phonePaths) {
      await check(`admin, ${MOBILE_WIDTH} px: ${path}`, async (problems) => {
        if (!(await visit(phonePage, path, problems))) return;
        await auditPage(phonePage, `phone-${path}`, problems, { mobile: true });
      });
    }
    await phone.close();

    const phoneAnon = await newContext(browser, {
      viewport: { width: MOBILE_WIDTH, height: 780 },
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    });
    const phoneAnonPage = await newPage(phoneAnon);
    await check(`signed out, ${MOBILE_WIDTH} px: /login`, async (problems) => {
      if (!(await visit(phoneAnonPage, '/login', problems))) return;
      await auditPage(phoneAnonPage, 'phone-anon-login', problems, { mobile: true });
    });
    await phoneAnon.close();

    // -- Sign out --------------------------------------------------------------------------
    await check('sign out', async (problems) => {
      if (!(await visit(page, '/', problems))) return;
      const button = page.locator('form[action="/logout"] button, form[action="/logout"] [type="submit"]').first();
      if ((await button.count()) === 0) {
        problems.push('no button in form[action="/logout"]');
        return;
      }
      await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
      if ((await page.locator('form[action="/logout"]').count()) > 0) {
        problems.push(`after signing out, ${new URL(page.url()).pathname} still shows the sign-out form`);
      }
      const res = await page.goto('/account');
      const path = new URL(page.url()).pathname;
      if (res && res.status() === 200 && path === '/account') {
        problems.push('after signing out, /account still answers 200');
      }
    });
    await admin.close();

    // -- A plain member may not administer -------------------------------------------------
    const member = await newContext(browser);
    const memberPage = await newPage(member);
    await check(`sign in as ${MEMBER}; /admin is refused`, async (problems) => {
      if (!(await signIn(memberPage, MEMBER, problems))) return;
      const res = await memberPage.goto('/admin');
      const path = new URL(memberPage.url()).pathname;
      if (res && res.status() === 200 && path === '/admin') {
        problems.push(`${MEMBER} got /admin with HTTP 200`);
      }
    });
    await member.close();
  } finally {
    await browser.close().catch(() => {});
  }
}

const deadline = setTimeout(() => {
  console.log(`smoke: gave up after ${TOTAL_TIMEOUT_MS / 60_000} minutes`);
  report();
  process.exit(1);
}, TOTAL_TIMEOUT_MS);

function report() {
  const failed = results.filter((r) => r.problems.length > 0);
  const passed = results.length - failed.length;
  if (failed.length > 0) {
    console.log('');
    console.log(`smoke: ${failed.length} check(s) failed:`);
    for (const r of failed) {
      console.log(`  ${r.name}`);
      for (const p of r.problems) console.log(`    - ${p}`);
    }
  }
  console.log(`smoke: screenshots in ${OUT}`);
  console.log('');
  console.log(`${passed} passed, ${failed.length} failed`);
  return failed.length;
}

let crashed = false;
try {
  await main();
} catch (err) {
  crashed = true;
  console.log(`smoke: aborted: ${err && err.stack ? err.stack : err}`);
}
clearTimeout(deadline);
const failures = report();
process.exit(crashed || failures > 0 || results.length === 0 ? 1 : 0);
