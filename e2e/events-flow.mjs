// Browser test of a whole event, on a phone: drives Debian's Chromium through a real
// `tejido serve --demo` (issue 5's "Done when").
//
// Usage: TEJIDO_DEMO_PASSWORD=... node e2e/events-flow.mjs http://127.0.0.1:PORT
//
// Through the browser alone, at 360×780 (isMobile, hasTouch) and in Spanish: a leader creates an
// event; a member registers, proposes two topics and spreads their dots (an over-budget ballot is
// refused first); the leader proposes a topic too and builds the agenda from the top proposal
// plus an open-space slot, crediting the proposer; the event, moved to yesterday as if time had
// passed, is marked held and attendance taken;
// the minutes are published with an action item owned by the member and a lesson; the member
// reports back, the minutes show the cascade rate and the member's home lists the action item;
// the ownership index of the event counts member-proposed topics and the community page draws
// its SVG chart. Leader and member use separate browser contexts. Every page the flow lands on
// is audited like e2e/smoke.mjs does it (axe-core WCAG 2.0/2.1 A/AA, page weight, no foreign
// requests, no script errors, no horizontal scroll at 360 px). Each flow step and each page
// audit is one check; the last line printed is `N passed, M failed`. Screenshots go to
// e2e/out/events-flow/.

import {
  COMMUNITY, RUN, auditHere, check, day, firstOption, newPage, newPhoneContext, pageErrors, pathOf,
  resetPageRecords,
  run, selectByLabelText, setup, signIn, squash, submit, visit,
} from './lib/flow.mjs';

setup('events-flow');

const LEADER = 'lider@example.org';
const MEMBER = 'integrante@example.org';
const EVENT_DAY = day(7);

const T = {
  event: `Encuentro de mediación comunitaria ${RUN}`,
  topicA: `Mediación con pertinencia cultural ${RUN}`,
  topicB: `Acompañamiento a víctimas en audiencias ${RUN}`,
  topicLeader: `Monitoreo judicial ciudadano ${RUN}`,
  summary: `Nos reunimos en Oaxaca para revisar prácticas de mediación comunitaria (${RUN}).`,
  item: `Compartir la guía de mediación con mi organización ${RUN}`,
  lesson: `Conviene llegar con casos concretos a cada bloque (${RUN}).`,
};
/** The ownership table's cells for one event (index, proposed share…), or null without a row. */
async function ownershipRow(page, eventPath) {
  const row = page.locator('tbody tr', { has: page.locator(`a[href="${eventPath}/agenda"]`) });
  if ((await row.count()) !== 1) return null;
  return (await row.locator('td').allInnerTexts()).map(squash);
}

// ---------------------------------------------------------------------------------------------
// The flow

async function main(browser) {
  const s = {}; // what the steps learn: event id, member's name, topic ids…
  const ev = () => `${COMMUNITY}/events/${s.eventId}`;

  try {
    const leaderCtx = await newPhoneContext(browser);
    const memberCtx = await newPhoneContext(browser);
    const lp = await newPage(leaderCtx);
    const mp = await newPage(memberCtx);

    // -- 1. The leader creates an event -------------------------------------------------------
    const created = await check('1. leader signs in and creates an event', async (problems) => {
      if (!(await signIn(lp, LEADER, problems))) return;
      if (!(await visit(lp, `${COMMUNITY}/events`, problems))) return;
      await auditHere(lp, 'leader');
      if (!(await visit(lp, `${COMMUNITY}/events/new`, problems))) return;
      await auditHere(lp, 'leader');
      const form = lp.locator(`form[action="${COMMUNITY}/events"]`);
      if ((await form.count()) !== 1) {
        problems.push(`expected one form[action="${COMMUNITY}/events"] on /events/new, found ${await form.count()}`);
        return;
      }
      await form.locator('[name="title"]').fill(T.event);
      await form.locator('select[name="kind"]').selectOption('workshop');
      await form.locator('select[name="mode"]').selectOption('in-person');
      await form.locator('input[name="starts_at"]').fill(`${EVENT_DAY}T10:00`);
      await form.locator('input[name="ends_at"]').fill(`${EVENT_DAY}T14:00`);
      await form.locator('input[name="venue"]').fill('Casa de la Cultura Oaxaqueña');
      await form.locator('input[name="city"]').fill('Oaxaca de Juárez');
      const state = form.locator('select[name="state_code"]');
      if ((await state.count()) === 1) await selectByLabelText(state, 'Oaxaca');
      await form.locator('textarea[name="description"]').fill('Taller para compartir prácticas de mediación comunitaria.');
      // Dots per member and a voting deadline are set by the form only if it offers them.
      for (const [name, value] of [['dots_per_member', '5'], ['voting_closes_at', `${day(6)}T18:00`]]) {
        const f = form.locator(`input[name="${name}"]`);
        if ((await f.count()) === 1) await f.fill(value);
        else problems.info.push(`no ${name} field`);
      }
      if (!(await submit(lp, form.locator('button[type="submit"]'), problems, 'create the event'))) return;
      const m = pathOf(lp).match(new RegExp(`^${COMMUNITY}/events/(\\d+)$`));
      if (!m) {
        problems.push(`after creating, landed on ${pathOf(lp)} instead of ${COMMUNITY}/events/{id} (page says: ${await pageErrors(lp)})`);
        return;
      }
      s.eventId = Number(m[1]);
      problems.info.push(`event ${s.eventId}`);
      const h1 = squash(await lp.locator('h1').first().innerText());
      if (h1 !== T.event) problems.push(`event page <h1> is "${h1}", expected "${T.event}"`);
      if ((await lp.locator('.tag.status-planned').count()) === 0) problems.push('the new event is not shown as planned');
      await auditHere(lp, 'leader');
      // It is listed among the upcoming events.
      if (!(await visit(lp, `${COMMUNITY}/events`, problems))) return;
      if ((await lp.locator(`a[href="${ev()}"]`).count()) === 0) problems.push('the new event is not in the upcoming list');
      // Its ownership index before anyone takes part: nothing to measure yet.
      if (!(await visit(lp, `${COMMUNITY}/ownership`, problems))) return;
      const before = await ownershipRow(lp, ev());
      if (!before) problems.push(`the ownership table has no row for the new event ${s.eventId}`);
      else {
        s.indexBefore = before[2];
        problems.info.push(`ownership index before: ${before[2]}`);
        if (before[3] !== 'Sin datos') problems.push(`a new event already has a member-proposed share: "${before[3]}"`);
      }
    });
    if (!created || !s.eventId) {
      console.log('events-flow: cannot go on without an event');
      return;
    }

    // -- 2. The member registers, proposes two topics and votes --------------------------------
    const voted = await check('2. member registers, proposes two topics and spreads dots', async (problems) => {
      if (!(await signIn(mp, MEMBER, problems))) return;
      if (!(await visit(mp, ev(), problems))) return;
      const reg = mp.locator(`form[action="${ev()}/register"]:not(:has(select)) button[type="submit"]`);
      if (!(await submit(mp, reg, problems, 'register'))) return;
      if ((await mp.locator(`form[action="${ev()}/unregister"]`).count()) === 0) {
        problems.push('after registering, the event page offers no way to unregister (is the member registered?)');
      }
      await auditHere(mp, 'member');

      if (!(await visit(mp, `${ev()}/agenda`, problems))) return;
      await auditHere(mp, 'member');
      const propose = async (title, why, method) => {
        const form = mp.locator(`form[action="${ev()}/agenda/topics#propose"]`);
        await form.locator('input[name="title"]').fill(title);
        await form.locator('textarea[name="why"]').fill(why);
        await form.locator('select[name="methodology"]').selectOption(method);
        return submit(mp, form.locator('button[type="submit"]'), problems, `propose "${title}"`);
      };
      if (!(await propose(T.topicA, 'Las comunidades indígenas resuelven conflictos con sus propias formas.', 'world-cafe'))) return;
      if (!(await propose(T.topicB, 'Las víctimas llegan solas a las audiencias y abandonan el proceso.', '1-2-4-all'))) return;
      for (const [key, title] of [['topicA', T.topicA], ['topicB', T.topicB]]) {
        const li = mp.locator('ol.topics > li', { hasText: title });
        if ((await li.count()) !== 1) {
          problems.push(`the proposed topic "${title}" is not listed once on ${pathOf(mp)} (${await li.count()} found; page says: ${await pageErrors(mp)})`);
          return;
        }
        s[`${key}Id`] = Number((await li.getAttribute('id')).replace('topic-', ''));
      }
      const credit = squash(await mp.locator(`#topic-${s.topicAId}`).innerText());
      const who = credit.match(/Propuesto por (.+?)(?: Puntos para|$)/);
      if (!who) problems.push(`the topic does not credit its proposer ("Propuesto por …"): "${credit}"`);
      else s.memberName = who[1].trim();

      // The dot budget, as the page states it.
      const budgetText = squash(await mp.locator('#vote').innerText());
      const b = budgetText.match(/Tienes (\d+) puntos/);
      if (!b) {
        problems.push(`the ballot does not state the dot budget ("Tienes N puntos"): "${budgetText.slice(0, 160)}"`);
        return;
      }
      s.budget = Number(b[1]);
      problems.info.push(`budget ${s.budget}`);
      if (s.budget < 2) {
        problems.push(`a budget of ${s.budget} dot(s) cannot be spread over two topics`);
        return;
      }
      // Over the budget: refused whole.
      const vote = mp.locator(`form[action="${ev()}/agenda/votes#vote"]`);
      await vote.locator(`input[name="dots-${s.topicAId}"]`).fill(String(s.budget));
      await vote.locator(`input[name="dots-${s.topicBId}"]`).fill('1');
      resetPageRecords(mp);
      const [over] = await Promise.all([mp.waitForNavigation({ waitUntil: 'load' }), vote.locator('button[type="submit"]').click()]);
      if (!over || over.status() < 400) problems.push(`an over-budget ballot answered HTTP ${over ? over.status() : '?'} instead of being refused`);
      if ((await mp.locator('#vote .alert').count()) === 0) problems.push('an over-budget ballot shows no error on the page');
      await auditHere(mp, 'member-ballot-refused');
      // Within the budget: most dots on topic A, one on topic B.
      s.dotsA = s.budget - 1;
      await visit(mp, `${ev()}/agenda`, problems);
      await vote.locator(`input[name="dots-${s.topicAId}"]`).fill(String(s.dotsA));
      await vote.locator(`input[name="dots-${s.topicBId}"]`).fill('1');
      if (!(await submit(mp, vote.locator('button[type="submit"]'), problems, 'vote'))) return;
      // The confirmation: the ballot kept as cast, and no dots left.
      const a = await mp.locator(`input[name="dots-${s.topicAId}"]`).inputValue();
      const bb = await mp.locator(`input[name="dots-${s.topicBId}"]`).inputValue();
      if (a !== String(s.dotsA) || bb !== '1') problems.push(`after voting, the ballot shows ${a} and ${bb} dots instead of ${s.dotsA} and 1`);
      const left = squash(await mp.locator('#vote').innerText()).match(/Te quedan (\d+)/);
      if (!left || left[1] !== '0') problems.push(`after voting, expected "Te quedan 0", got "${left ? left[0] : 'no budget line'}"`);
      if ((await mp.locator('#vote .alert').count()) > 0) problems.push(`the valid ballot shows an error: ${await pageErrors(mp)}`);
      await auditHere(mp, 'member-after-vote');
    });

    // -- 3. The leader proposes too and builds the agenda --------------------------------------
    const built = voted && (await check('3. leader builds the agenda from the top proposal and an open-space slot', async (problems) => {
      if (!(await visit(lp, `${ev()}/agenda`, problems))) return;
      const form = lp.locator(`form[action="${ev()}/agenda/topics#propose"]`);
      await form.locator('input[name="title"]').fill(T.topicLeader);
      await form.locator('textarea[name="why"]').fill('Observar audiencias nos da datos para incidir.');
      await form.locator('select[name="methodology"]').selectOption('panel');
      if (!(await submit(lp, form.locator('button[type="submit"]'), problems, 'leader proposes a topic'))) return;

      // Results are visible to those who manage, before voting closes: the top proposal.
      const tallies = await lp.locator('ol.topics > li').evaluateAll((lis) =>
        lis.map((li) => {
          const m = li.innerText.replace(/\s+/g, ' ').match(/(\d+) puntos de (\d+) personas/);
          return { id: Number(li.id.replace('topic-', '')), title: li.querySelector('strong')?.innerText ?? '', dots: m ? Number(m[1]) : null };
        }),
      );
      const mine = tallies.find((t) => t.id === s.topicAId);
      if (!mine || mine.dots === null) {
        problems.push(`the leader sees no tally for "${T.topicA}" (results should be visible to those who manage)`);
        return;
      }
      if (mine.dots !== s.dotsA) problems.push(`"${T.topicA}" shows ${mine.dots} dots, expected ${s.dotsA}`);
      const top = [...tallies].sort((x, y) => (y.dots ?? -1) - (x.dots ?? -1))[0];
      if (top.id !== s.topicAId) problems.push(`the top proposal is "${top.title}" (${top.dots}), expected "${T.topicA}"`);
      await auditHere(lp, 'leader');

      const slot = lp.locator(`form[action="${ev()}/agenda/items#build"]`);
      const addSlot = async (fill, what) => {
        await fill();
        return submit(lp, slot.locator('button[type="submit"]'), problems, what);
      };
      const ok1 = await addSlot(async () => {
        await slot.locator('select[name="topic_id"]').selectOption(String(top.id));
        await slot.locator('input[name="date"]').fill(EVENT_DAY);
        await slot.locator('input[name="starts_at"]').fill('10:00');
        await slot.locator('input[name="ends_at"]').fill('11:30');
        await slot.locator('select[name="methodology"]').selectOption('world-cafe');
        if (!s.memberName || !(await selectByLabelText(slot.locator('select[name="facilitator"]'), s.memberName))) {
          problems.push(`the facilitator list has no "${s.memberName}"`);
        }
      }, 'add the top proposal to the agenda');
      if (!ok1) return;
      if (pathOf(lp) !== `${ev()}/agenda`) problems.push(`after adding a slot, landed on ${pathOf(lp)}`);
      const ok2 = await addSlot(async () => {
        await slot.locator('input[name="open_space"]').check();
        await slot.locator('input[name="date"]').fill(EVENT_DAY);
        await slot.locator('input[name="starts_at"]').fill('12:00');
        await slot.locator('input[name="ends_at"]').fill('13:30');
        await slot.locator('select[name="methodology"]').selectOption('open-space');
      }, 'add an open-space slot');
      if (!ok2) return;

      const items = lp.locator('ol.agenda-items > li');
      if ((await items.count()) !== 2) {
        problems.push(`expected 2 slots in the agenda, found ${await items.count()} (${await pageErrors(lp)})`);
        return;
      }
      const first = squash(await items.nth(0).innerText());
      if (!first.includes(T.topicA)) problems.push(`the first slot is not "${T.topicA}": "${first.slice(0, 120)}"`);
      if (!first.includes('10:00')) problems.push(`the first slot does not show 10:00: "${first.slice(0, 120)}"`);
      if (s.memberName && !first.includes(`Propuesto por ${s.memberName}`)) {
        problems.push(`the slot does not credit its proposer "${s.memberName}": "${first.slice(0, 160)}"`);
      }
      if (s.memberName && !first.includes(`Facilita: ${s.memberName}`)) {
        problems.push(`the slot does not name its facilitator "${s.memberName}": "${first.slice(0, 160)}"`);
      }
      const second = squash(await items.nth(1).innerText());
      if (!second.includes('Espacio abierto')) problems.push(`the second slot is not marked as open space: "${second.slice(0, 120)}"`);
      const scheduled = squash(await lp.locator(`#topic-${s.topicAId}`).innerText());
      if (!scheduled.includes('En el orden del día')) problems.push('the scheduled topic is not tagged "En el orden del día"');
      await auditHere(lp, 'leader-agenda-built');
    }));

    // -- 4. The event is held; attendance taken ------------------------------------------------
    const held = built && (await check('4. leader marks the event held and takes attendance', async (problems) => {
      if (!(await visit(lp, `${ev()}/edit`, problems))) return;
      await auditHere(lp, 'leader');
      const form = lp.locator(`form[action="${ev()}/edit"]`);
      // Time passes: the event is dated yesterday (an event cannot be held before it starts).
      await form.locator('[name="starts_at"]').fill(`${day(-1)}T09:00`);
      await form.locator('[name="ends_at"]').fill(`${day(-1)}T13:00`);
      const closes = form.locator('[name="voting_closes_at"]');
      if ((await closes.count()) > 0) await closes.fill('');
      await form.locator('select[name="status"]').selectOption('held');
      if (!(await submit(lp, form.locator('button[type="submit"]'), problems, 'mark the event held'))) return;
      if (pathOf(lp) !== ev()) {
        problems.push(`marking held landed on ${pathOf(lp)}: ${await pageErrors(lp)}`);
        return;
      }
      if ((await lp.locator('.tag.status-held').count()) === 0) problems.push('the event page does not show the status "Realizado"');

      if (!(await visit(lp, `${ev()}/attendance`, problems))) return;
      await auditHere(lp, 'leader');
      const fs = lp.locator('fieldset', { has: lp.locator('legend', { hasText: s.memberName || MEMBER }) });
      if ((await fs.count()) !== 1) {
        problems.push(`the attendance list has no single row for "${s.memberName}" (${await fs.count()} found)`);
        return;
      }
      const present = fs.locator('input[type="radio"][value="present"]');
      const name = await present.getAttribute('name');
      s.memberPersonId = Number(String(name).replace('a-', ''));
      await present.check();
      if (!(await submit(lp, lp.locator(`form[action="${ev()}/attendance"] button[type="submit"]`), problems, 'save attendance'))) return;
      const after = lp.locator(`input[name="${name}"][value="present"]`);
      if (!(await after.isChecked())) problems.push('after saving, the member is not marked present');
      if ((await lp.locator(`a[href="${ev()}/certificate/${s.memberPersonId}"]`).count()) === 0) {
        problems.push('no certificate link for the member marked present');
      }
      await auditHere(lp, 'leader-attendance-taken');
    }));

    // -- 5. Minutes, an action item and a lesson -----------------------------------------------
    const minuted = held && (await check('5. leader publishes the minutes, adds an action item for the member and a lesson', async (problems) => {
      if (!(await visit(lp, `${ev()}/minutes/edit`, problems))) return;
      await auditHere(lp, 'leader');
      const form = lp.locator(`form[action="${ev()}/minutes/edit"]`);
      await form.locator('textarea[name="summary"]').fill(`${T.summary}\n\n- Revisamos el bloque de mediación.\n- Abrimos espacio a temas del día.`);
      await form.locator('textarea[name="takeaways"]').fill('La mediación necesita pertinencia cultural.');
      if (!(await submit(lp, form.locator('button[name="status"][value="published"]'), problems, 'publish the minutes'))) return;

      if (!(await visit(lp, `${ev()}/minutes`, problems))) return;
      const main = squash(await lp.locator('main').innerText());
      if (!main.includes(T.summary)) problems.push('the published summary is not on the minutes page');
      if (!/publicada el/.test(main)) problems.push('the minutes page does not say the version was published ("publicada el")');

      const item = lp.locator(`form[action="${ev()}/minutes/items"]`);
      await lp.locator('details', { has: item }).locator('summary').click();
      await item.locator('input[name="title"]').fill(T.item);
      if (!(await selectByLabelText(item.locator('select[name="owner"]'), s.memberName))) {
        problems.push(`the action-item owner list has no "${s.memberName}"`);
        return;
      }
      await item.locator('input[name="due_on"]').fill(day(21));
      if (!(await submit(lp, item.locator('button[type="submit"]'), problems, 'add an action item'))) return;
      const li = lp.locator('#items ~ ul li, section[aria-labelledby="items"] li', { hasText: T.item });
      if ((await li.count()) === 0) problems.push('the action item is not listed on the minutes page');
      else if (!squash(await li.first().innerText()).includes(s.memberName)) problems.push('the action item does not name its owner');

      const lesson = lp.locator(`form[action="${ev()}/minutes/lessons"]`);
      await lesson.locator('textarea[name="text"]').fill(T.lesson);
      if (!(await submit(lp, lesson.locator('button[type="submit"]'), problems, 'add a lesson'))) return;
      if (!squash(await lp.locator('section[aria-labelledby="lessons"]').innerText()).includes(T.lesson)) {
        problems.push('the lesson is not listed on the minutes page');
      }
      await auditHere(lp, 'leader-minutes');
    }));

    // -- 6. The member reports back ------------------------------------------------------------
    const reported = minuted && (await check('6. member reports back; cascade rate and pending action item shown', async (problems) => {
      if (!(await visit(mp, `${ev()}/minutes`, problems))) return;
      await auditHere(mp, 'member');
      if (!squash(await mp.locator('main').innerText()).includes(T.summary)) problems.push('the member does not see the published minutes');

      if (!(await visit(mp, `${ev()}/report-back`, problems))) return;
      await auditHere(mp, 'member');
      const form = mp.locator(`form[action="${ev()}/report-back"]`);
      if ((await form.count()) === 0) {
        problems.push(`the member marked present gets no report-back form: ${await pageErrors(mp)}`);
        return;
      }
      await form.locator('input[name="reported_on"]').fill(day(0));
      const fmt = form.locator('select[name="format"]');
      await fmt.selectOption((await fmt.locator('option[value="meeting"]').count()) ? 'meeting' : await firstOption(fmt));
      await form.locator('input[name="audience"]').fill('12');
      await form.locator('textarea[name="notes"]').fill('Presenté la guía en la reunión del equipo.');
      if (!(await submit(mp, form.locator('button[type="submit"]'), problems, 'save the report-back'))) return;
      if (pathOf(mp) !== `${ev()}/report-back`) problems.push(`after reporting back, landed on ${pathOf(mp)}`);
      const saved = squash(await mp.locator('main').innerText());
      if (!saved.includes('Tu devolución está registrada')) problems.push('no confirmation that the report-back was saved');
      await auditHere(mp, 'member-reported');

      if (!(await visit(mp, `${ev()}/minutes`, problems))) return;
      const cascade = squash(await mp.locator('section[aria-labelledby="cascade"]').innerText());
      const rate = cascade.match(/Tasa de cascadeo: (\d+) %/);
      if (!rate) problems.push(`the minutes page shows no cascade rate: "${cascade.slice(0, 160)}"`);
      else if (rate[1] !== '100') problems.push(`cascade rate ${rate[1]} %, expected 100 % (1 of 1 attendee reported back)`);
      else problems.info.push(`cascade ${rate[1]} %`);

      if (!(await visit(mp, '/', problems))) return;
      await auditHere(mp, 'member');
      const listed = await mp.evaluate((title) => {
        const h = [...document.querySelectorAll('h2')].find((x) => x.textContent.includes('Mis compromisos pendientes'));
        if (!h) return 'no heading "Mis compromisos pendientes"';
        let n = h.nextElementSibling;
        while (n && n.tagName !== 'H2') {
          if (n.textContent.includes(title)) return null;
          n = n.nextElementSibling;
        }
        return 'the action item is not listed under "Mis compromisos pendientes"';
      }, T.item);
      if (listed) problems.push(listed);
    }));

    // -- 7. The ownership index moves ----------------------------------------------------------
    if (reported) await check('7. ownership index counts member-proposed topics; community page draws the chart', async (problems) => {
      if (!(await visit(lp, `${COMMUNITY}/ownership`, problems))) return;
      await auditHere(lp, 'leader');
      if ((await lp.locator('figure.chart svg').count()) === 0) problems.push('the ownership page has no SVG trend chart');
      const cells = await ownershipRow(lp, ev());
      if (!cells) {
        problems.push(`the ownership table has no row for event ${s.eventId}`);
      } else {
        const index = cells[2];
        const proposed = cells[3] || '';
        problems.info.push(`index ${index}, proposed ${proposed}`);
        const m = proposed.match(/\((\d+)\/(\d+)\)/);
        if (!m) problems.push(`no member-proposed share for the event: "${proposed}"`);
        else if (Number(m[1]) === 0) problems.push(`member-proposed share is zero: "${proposed}"`);
        // The scheduled topic was the member's; the open-space slot has no proposer.
        else if (m[1] !== '1' || m[2] !== '1') problems.push(`expected 1 of 1 slots proposed by members, got "${proposed}"`);
        if (!/^\d+$/.test(index) || Number(index) === 0) problems.push(`the event's ownership index is "${index}", expected a positive number`);
        else if (/^\d+$/.test(s.indexBefore ?? '') && Number(index) <= Number(s.indexBefore)) {
          problems.push(`the event's ownership index did not move up: ${s.indexBefore} before, ${index} after`);
        }
        problems.info.push(`index before ${s.indexBefore ?? '?'}`);
        const attendance = cells[7] || '';
        if (!/\b1\b/.test(attendance)) problems.push(`the attendance column does not count the one attendee: "${attendance}"`);
      }
      if (!(await visit(lp, COMMUNITY, problems))) return;
      await auditHere(lp, 'leader');
      const html = await lp.content();
      if (!html.includes('<svg')) problems.push(`the community page ${COMMUNITY} has no <svg chart`);
    });

    // -- A satisfaction poll from a template, answered by the member on the phone --------------
    await check('8. leader starts a satisfaction poll from a template; the member answers; results draw a chart', async (problems) => {
      if (!(await visit(lp, `${COMMUNITY}/polls`, problems))) return;
      await auditHere(lp, 'leader');
      const fromTemplate = lp.locator(`form[action="${COMMUNITY}/polls/from-template"]`);
      if ((await fromTemplate.count()) !== 1) { problems.push('no "start from a template" form'); return; }
      await Promise.all([lp.waitForNavigation({ waitUntil: 'load' }), fromTemplate.locator('button[type="submit"]').click()]);
      const m = new URL(lp.url()).pathname.match(/\/polls\/(\d+)/);
      if (!m) { problems.push(`creating from a template landed on ${lp.url()}`); return; }
      const pollPath = `${COMMUNITY}/polls/${m[1]}`;
      await auditHere(lp, 'leader');
      const open = lp.locator(`form[action="${pollPath}/status"]:has(input[name="status"][value="open"])`);
      if ((await open.count()) === 0) { problems.push('no "open" button on the new poll'); return; }
      await Promise.all([lp.waitForNavigation({ waitUntil: 'load' }), open.locator('button[type="submit"]').click()]);
      // The member answers every question.
      if (!(await visit(mp, `${pollPath}/answer`, problems))) return;
      await auditHere(mp, 'member');
      const form = mp.locator(`form[action="${pollPath}/answer"]`);
      if ((await form.count()) !== 1) { problems.push('the member sees no answer form'); return; }
      const names = await form.locator('input[type="radio"]').evaluateAll((els) => [...new Set(els.map((e) => e.name))]);
      for (const n of names) {
        const radios = form.locator(`input[type="radio"][name="${n}"]`);
        const count = await radios.count();
        await radios.nth(count - 2 >= 0 ? count - 2 : 0).check();
      }
      for (const t of await form.locator('textarea').all()) await t.fill('Muy útil para mi organización');
      for (const t of await form.locator('input[type="text"]').all()) await t.fill('Bien');
      for (const sel of await form.locator('select').all()) await sel.selectOption({ index: 3 });
      await Promise.all([mp.waitForNavigation({ waitUntil: 'load' }), form.locator('button[type="submit"]').click()]);
      const after = await mp.locator('main').innerText();
      if (!after.includes('respuesta') && !after.includes('Gracias')) problems.info.push('no thank-you text after answering');
      if (!(await visit(lp, `${pollPath}/results`, problems))) return;
      await auditHere(lp, 'leader');
      if ((await lp.locator('main svg').count()) === 0) problems.push('the results page draws no SVG chart');
      const text = await lp.locator('main').innerText();
      if (!/\b1\b/.test(text)) problems.push('the results page does not count the one response');
    });

    if (!reported) console.log('events-flow: a step failed; the steps that build on it were not run');
    await leaderCtx.close();
    await memberCtx.close();
  } finally {
    // The browser is closed by run().
  }
}

await run(main);
