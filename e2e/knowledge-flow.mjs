// Browser test of the knowledge capabilities on a phone (issue 7's "Done when"), against a real
// `tejido serve --demo`:
//
// Usage: TEJIDO_DEMO_PASSWORD=... node e2e/knowledge-flow.mjs http://127.0.0.1:PORT
//
// At 360×780 and in Spanish: the leader publishes a methodology with a PDF attachment for the
// community, and the attachment downloads as an attachment, never inline; the methodology is found
// by an unaccented, lower-case query; the leader makes it a key resource of the onboarding pack and
// a member reads the pack (purpose, charter, minutes, the key resource); the member asks for help,
// sees the ask matched to organizations, the leader answers, and the member closes it as resolved
// with who helped. Every page is audited as in e2e/lib/flow.mjs; the last line is `N passed, M failed`.

import {
  BASE, COMMUNITY, RUN, auditHere, check, day, newPage, newPhoneContext, pageErrors, pathOf, run,
  selectByLabelText, setup, signIn, squash, submit, visit,
} from './lib/flow.mjs';

setup('knowledge-flow');

const LEADER = 'lider@example.org';
const MEMBER = 'integrante@example.org';
const COMMUNITY_NAME = 'Justicia Penal y Mediación en Oaxaca';

const T = {
  title: `Metodología de mediación comunitaria con pertinencia cultural ${RUN}`,
  // What a person types on a phone: no accents, lower case.
  query: `metodologia mediacion pertinencia ${RUN}`,
  ask: `Buscamos apoyo en mediación comunitaria ${RUN}`,
  answer: `Podemos compartirles nuestro protocolo de mediación y acompañarles en una sesión (${RUN}).`,
};

/** A small valid PDF, as a person would attach one. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

async function main(browser) {
  const s = {};
  const leaderCtx = await newPhoneContext(browser);
  const memberCtx = await newPhoneContext(browser);
  const lp = await newPage(leaderCtx);
  const mp = await newPage(memberCtx);

  const published = await check('1. leader publishes a methodology with a PDF attachment', async (problems) => {
    if (!(await signIn(lp, LEADER, problems))) return;
    if (!(await visit(lp, '/library/new', problems))) return;
    await auditHere(lp, 'leader');
    const form = lp.locator('form[enctype="multipart/form-data"]');
    if ((await form.count()) !== 1) { problems.push('no upload form on /library/new'); return; }
    await form.locator('select[name="kind"]').selectOption('methodology');
    await form.locator('[name="title"]').fill(T.title);
    await form.locator('[name="body"]').fill(
      'Pasos para facilitar una **mediación comunitaria** con autoridades tradicionales:\n\n1. Escucha\n2. Acuerdos\n3. Seguimiento',
    );
    await form.locator('[name="themes"]').fill('Mediación para la resolución de conflictos');
    await form.locator('select[name="visibility"]').selectOption('community');
    if (!(await selectByLabelText(form.locator('select[name="community"]'), COMMUNITY_NAME))) {
      problems.push(`the community select has no "${COMMUNITY_NAME}"`);
      return;
    }
    await form.locator('input[type="file"][name="file"]').setInputFiles({
      name: 'guia-mediacion.pdf',
      mimeType: 'application/pdf',
      buffer: PDF,
    });
    if (!(await submit(lp, form.locator('button[type="submit"]'), problems, 'publish'))) return;
    const m = pathOf(lp).match(/^\/library\/(\d+)$/);
    if (!m) { problems.push(`publishing landed on ${pathOf(lp)}: ${await pageErrors(lp)}`); return; }
    s.resourceId = m[1];
    await auditHere(lp, 'leader');
    const h1 = squash(await lp.locator('h1').innerText());
    if (h1 !== T.title) problems.push(`the resource page's <h1> is "${h1}"`);
    const link = lp.locator(`a[href^="/library/${s.resourceId}/files/"]`);
    if ((await link.count()) !== 1) { problems.push('the resource page does not list its attachment'); return; }
    const href = await link.getAttribute('href');
    const res = await lp.request.get(new URL(href, BASE).toString());
    if (res.status() !== 200) problems.push(`the attachment answered ${res.status()}`);
    const cd = res.headers()['content-disposition'] || '';
    if (!cd.startsWith('attachment')) problems.push(`the attachment is served with Content-Disposition "${cd}"`);
    if ((res.headers()['content-type'] || '') !== 'application/pdf') {
      problems.push(`the attachment's content type is "${res.headers()['content-type']}"`);
    }
    if ((res.headers()['x-content-type-options'] || '') !== 'nosniff') problems.push('no nosniff on the attachment');
    const body = await res.body();
    if (!body.equals(PDF)) problems.push('the downloaded file differs from the uploaded one');
  });

  await (published && check('2. the methodology is found by an unaccented, lower-case query', async (problems) => {
    if (!(await visit(lp, `/search?q=${encodeURIComponent(T.query)}`, problems))) return;
    await auditHere(lp, 'leader-search');
    const hit = lp.locator(`main a[href="/library/${s.resourceId}"]`);
    if ((await hit.count()) === 0) {
      problems.push(`"${T.query}" does not find "${T.title}": ${squash(await lp.locator('main').innerText()).slice(0, 300)}`);
      return;
    }
    if ((await lp.locator('main mark').count()) === 0) problems.push('the results highlight no matched words');
  }));

  const keyed = published && (await check('3. leader makes it a key resource of the onboarding pack', async (problems) => {
    if (!(await visit(lp, `${COMMUNITY}/onboarding`, problems))) return;
    await auditHere(lp, 'leader');
    const form = lp.locator(`form[action="${COMMUNITY}/onboarding/key-resources"]`);
    if ((await form.count()) !== 1) { problems.push('no key-resource form for the leader'); return; }
    await form.locator('select[name="resource"]').selectOption(s.resourceId);
    if (!(await submit(lp, form.locator('button[type="submit"]'), problems, 'choose key resource'))) return;
    if ((await lp.locator(`#key-resources a[href="/library/${s.resourceId}"]`).count()) === 0) {
      problems.push('the key resources do not list the methodology');
    }
  }));

  await (keyed && check('4. a member reads the onboarding pack on a phone', async (problems) => {
    if (!(await signIn(mp, MEMBER, problems))) return;
    if (!(await visit(mp, `${COMMUNITY}/onboarding`, problems))) return;
    await auditHere(mp, 'member');
    const text = squash(await mp.locator('main').innerText());
    for (const needle of [COMMUNITY_NAME, T.title]) {
      if (!text.includes(needle)) problems.push(`the pack does not show "${needle}"`);
    }
    if ((await mp.locator(`form[action="${COMMUNITY}/onboarding/key-resources"]`).count()) !== 0) {
      problems.push('a plain member is offered the leaders\' key-resource form');
    }
    if ((await mp.locator('main h2').count()) < 5) problems.push('the pack has fewer than five sections');
    if (!(await visit(mp, `${COMMUNITY}/onboarding/print`, problems))) return;
    if ((await mp.locator('nav').count()) !== 0) problems.push('the printable pack has navigation');
  }));

  const asked = await check('5. the member asks for help and sees it matched', async (problems) => {
    if (!(await visit(mp, '/support/asks/new', problems))) return;
    await auditHere(mp, 'member');
    const form = mp.locator('form[action="/support/asks"]');
    await form.locator('[name="title"]').fill(T.ask);
    await form.locator('[name="need"]').fill(
      'Necesitamos orientación para diseñar un protocolo de mediación comunitaria y justicia restaurativa con autoridades municipales.',
    );
    await form.locator('[name="theme"]').fill('Mediación para la resolución de conflictos');
    await form.locator('select[name="urgency"]').selectOption('high');
    await form.locator('[name="deadline"]').fill(day(21));
    const box = form.locator('label', { hasText: COMMUNITY_NAME }).locator('input[name="communities"]');
    if ((await box.count()) !== 1) { problems.push(`the ask form does not offer "${COMMUNITY_NAME}"`); return; }
    await box.check();
    if (!(await submit(mp, form.locator('button[type="submit"]'), problems, 'publish the ask'))) return;
    const m = pathOf(mp).match(/^\/support\/asks\/(\d+)$/);
    if (!m) { problems.push(`publishing the ask landed on ${pathOf(mp)}: ${await pageErrors(mp)}`); return; }
    s.askId = m[1];
    await auditHere(mp, 'member');
    const matches = mp.locator('section[aria-labelledby="matches"] li');
    if ((await matches.count()) === 0) problems.push('the ask was matched to no organization');
  });

  const answered = asked && (await check('6. the leader answers the ask', async (problems) => {
    if (!(await visit(lp, `/support/asks/${s.askId}`, problems))) return;
    await auditHere(lp, 'leader');
    const form = lp.locator(`form[action="/support/asks/${s.askId}/answers"]`);
    await form.locator('[name="body"]').fill(T.answer);
    if (!(await submit(lp, form.locator('button[type="submit"]'), problems, 'answer'))) return;
    if (!squash(await lp.locator('main').innerText()).includes(T.answer)) problems.push('the answer is not shown');
  }));

  await (answered && check('7. the member closes the ask as resolved with who helped', async (problems) => {
    if (!(await visit(mp, `/support/asks/${s.askId}`, problems))) return;
    if (!squash(await mp.locator('main').innerText()).includes(T.answer)) problems.push('the member does not see the answer');
    const form = mp.locator(`form[action="/support/asks/${s.askId}/close"]`);
    if ((await form.count()) !== 1) { problems.push('the asker has no form to close the ask'); return; }
    const helper = form.locator('input[name="helpers"]').first();
    if ((await helper.count()) === 0) { problems.push('no organization to credit as helper'); return; }
    await helper.check();
    const helperName = squash(await helper.locator('xpath=..').innerText());
    if (!(await submit(mp, form.locator('button[value="resolved"]'), problems, 'close as resolved'))) return;
    const notice = squash(await mp.locator('main .notice').innerText().catch(() => ''));
    if (!notice.includes(helperName)) problems.push(`the closed ask does not credit "${helperName}" (notice: "${notice}")`);
    await auditHere(mp, 'member-resolved');
  }));

  await leaderCtx.close();
  await memberCtx.close();
}

await run(main);
