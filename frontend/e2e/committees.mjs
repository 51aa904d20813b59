// Committees in the browser: the admin creates a committee and gives seats with the member
// picker; the chair (its own browser) plans a meeting, builds the agenda with a session
// paper, takes a member's proposal that arrives live, invites and opens the session;
// five members follow in their own browsers (one at 320 px). The chair records
// attendance with the quorum live, runs a named yes/no poll and a secret election; the
// members vote (confirmation step, receipt), see the count move without reloading, and
// see the published results with chart, table and named votes. The chair closes the
// session, edits the minutes (a concurrent change meets a 412), approves and files them
// into the committee's own folder without an administrator's help; a member without
// access to the paper's folder opens the frozen paper in the meeting page's preview;
// the PDFs come out. The chair calls an item as current (members see "jetzt: TOP 2"),
// moves a draft poll created on the wrong item, annuls a poll opened by mistake (the
// minutes show it annulled, no decision), and cancels a later meeting with a reason.
// Profile calendar feed and OParl settings. Axe on every screen.
import { eventually, expect } from './lib/harness.mjs';
import { makePdf } from './lib/files.mjs';

const COMMITTEE = { name: 'Bauausschuss', description: 'Ausschuss für Bauen, Planung und Umwelt.' };
const CHAIR = { email: 'clara.vorsitz@kollab.localhost', name: 'Clara Vorsitz', password: 'Ratssaal-Eiche-2026' };
const MEMBERS = [
  { email: 'anton.amsel@kollab.localhost', name: 'Anton Amsel', password: 'Gartenweg-Amsel-2026' },
  { email: 'berta.birke@kollab.localhost', name: 'Berta Birke', password: 'Gartenweg-Birke-2026' },
  { email: 'carl.cedern@kollab.localhost', name: 'Carl Cedern', password: 'Gartenweg-Cedern-2026' },
  { email: 'doris.dach@kollab.localhost', name: 'Doris Dach', password: 'Gartenweg-Dach-2026' },
  { email: 'emil.eiche@kollab.localhost', name: 'Emil Eiche', password: 'Gartenweg-Eiche-2026' },
];
const MEETING = 'Sitzung des Bauausschusses im Mai';
const ITEMS = [
  { title: 'Bebauungsplan Nord', description: 'Entwurf des Bebauungsplans für das Gebiet nördlich der Bahn.', public: true },
  { title: 'Vergabe Winterdienst', description: '', public: true },
  { title: 'Personalangelegenheit', description: 'Wahl der Vertretung im Personalrat.', public: false },
];
const PROPOSAL = 'Radweg Hauptstraße';
const PAPER = 'Bebauungsplan Nord Entwurf';
const NAMED = 'Beschluss Bebauungsplan Nord';
const SECRET = 'Wahl Vertretung Personalrat';
const PROXY = 'Beschluss Sitzungsgeld';
const TOO_FEW = 'Wahl Schriftführung Personalrat';
const WRONG = 'Vergabe Winterdienst an Firma Schnee';
const MISTAKE = 'Beschluss Winterdienst (doppelt)';
const MISTAKE_REASON = 'Versehentlich doppelt geöffnet; abgestimmt wird über „Vergabe Winterdienst an Firma Schnee“.';
const JULY = 'Sitzung des Bauausschusses im Juli';
const CANCEL_REASON = 'Der Sitzungssaal ist wegen eines Wasserschadens gesperrt; die Punkte werden im September beraten.';

/**
 * @param runner the test runner
 * @param env the e2e environment (server, browser, art, …)
 * @param ctx { page: () => the signed-in admin's page, sideways: (page, what) => check }
 */
export function registerCommittees(runner, env, ctx) {
  const { art, server, browser } = env;
  const state = { members: {} };
  const contexts = [];
  const admin = () => ctx.page();
  const expectHeading = async (p, text) => p.locator('h1', { hasText: text }).first().waitFor({ timeout: 15_000 });
  const nav = (p) => p.getByRole('navigation', { name: /^(Hauptnavigation|Main navigation)$/ });
  const status = (p, text) => p.getByText(text).first().waitFor({ timeout: 15_000 });
  // A button's name with visually hidden detail ("Anwesend: Clara Vorsitz"); Chromium may
  // put a space before the hidden part.
  const esc = (x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const named = (label, detail) => new RegExp(`^${esc(label)}\\W+${esc(detail)}$`);
  const poll = (p, title) => p.locator(`article[data-poll="${title}"]`).first();
  // Waits until a page shows `n` ballots for a poll, and proves the page was not reloaded.
  const expectCount = async (p, title, n) => {
    await p.waitForFunction(
      ([t, want]) => document.querySelector(`article[data-poll="${t}"] [data-testid=live-count]`)?.getAttribute('data-ballots') === String(want),
      [title, n],
      { timeout: 15_000 },
    );
    expect(await p.evaluate(() => window.__kollabNoReload === true), 'the count must arrive without reloading the page');
  };
  const markNoReload = (p) => p.evaluate(() => (window.__kollabNoReload = true));
  const api = (p, method, path, body) =>
    p.evaluate(
      async ([m, u, b]) => {
        const token = (await (await fetch('/api/v1/auth/csrf')).json()).csrf_token;
        const headers = { 'X-CSRF-Token': token, Accept: 'application/json' };
        if (b !== undefined) headers['Content-Type'] = 'application/json';
        const r = await fetch(u, { method: m, headers, body: b === undefined ? undefined : JSON.stringify(b) });
        const text = await r.text();
        if (!r.ok) throw new Error(`${m} ${u}: ${r.status} ${text}`);
        return text ? JSON.parse(text) : null;
      },
      [method, path, body],
    );
  const signIn = async (user, viewport = { width: 1280, height: 800 }) => {
    const c = await browser.newContext({ baseURL: server.baseURL, locale: 'de-DE', viewport, acceptDownloads: true });
    await c.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseURL }).catch(() => undefined);
    contexts.push(c);
    const p = await c.newPage();
    env.watch(p);
    await p.goto('/');
    await p.getByLabel('E-Mail-Adresse').fill(user.email);
    await p.getByLabel('Passwort').fill(user.password);
    await p.getByRole('button', { name: 'Anmelden' }).click();
    await expectHeading(p, `Willkommen, ${user.name}`);
    return p;
  };
  const vote = async (p, title, choice) => {
    const card = poll(p, title);
    await card.getByRole('button', { name: choice, exact: true }).click();
    await card.getByRole('heading', { name: 'Bitte bestätigen' }).waitFor();
    await card.getByRole('button', { name: 'Stimme verbindlich abgeben' }).click();
    await card.getByTestId('vote-receipt').getByText('Ihre Stimme wurde gezählt').waitFor();
  };
  const elect = async (p, title, names) => {
    const card = poll(p, title);
    for (const n of names) await card.getByLabel(n, { exact: true }).check();
    await card.getByRole('button', { name: 'Weiter zur Bestätigung' }).click();
    await card.getByText(`Sie stimmen: „${names.join(', ')}“.`).waitFor();
    await card.getByRole('button', { name: 'Stimme verbindlich abgeben' }).click();
    await card.getByTestId('vote-receipt').getByText('Ihre Stimme wurde gezählt').waitFor();
  };

  runner.test('committees: the module loads as its own chunk; the admin creates a committee and gives seats with the member picker', async () => {
    const p = admin();
    for (const u of [CHAIR, ...MEMBERS]) server.cli(['user', 'create', '--email', u.email, '--name', u.name, '--password', u.password, '--tenant', 'demo', '--role', 'committee']);
    await p.goto('/t/demo');
    await expectHeading(p, 'Willkommen');
    await p.getByRole('link', { name: /Gremien/ }).first().waitFor();
    await nav(p).getByRole('link', { name: 'Gremien', exact: true }).click();
    await expectHeading(p, 'Gremien');
    const scripts = await p.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.js')));
    expect(scripts.some((s) => /CommitteesModule-[\w-]+\.js$/.test(s)), `the committees chunk must be loaded lazily: ${scripts.join(', ')}`);
    await p.getByText('Noch keine Gremien').waitFor();
    await p.getByRole('button', { name: 'Neues Gremium' }).click();
    const dialog = p.getByRole('dialog', { name: 'Neues Gremium anlegen' });
    await dialog.getByRole('button', { name: 'Gremium anlegen' }).click();
    await dialog.getByText('Bitte ausfüllen.').waitFor();
    await dialog.getByLabel('Name des Gremiums').fill(COMMITTEE.name);
    await dialog.getByLabel(/^Beschreibung/).fill(COMMITTEE.description);
    await dialog.getByLabel('Beschlussfähigkeit').selectOption('half');
    await art.screen(p, 'de-60-committee-new');
    await dialog.getByRole('button', { name: 'Gremium anlegen' }).click();
    await status(p, `Das Gremium „${COMMITTEE.name}“ wurde angelegt.`);
    await art.screen(p, 'de-61-committees-list');
    await p.getByRole('link', { name: COMMITTEE.name, exact: true }).click();
    await expectHeading(p, COMMITTEE.name);
    state.committeeURL = new URL(p.url()).pathname;
    state.committeeId = state.committeeURL.split('/').pop();
    await p.getByText('mehr als 1/2 der Stimmen anwesend').waitFor();

    // The chair's seat through the dialog, choosing her by name.
    await p.getByRole('button', { name: 'Mitglied hinzufügen' }).click();
    const seat = p.getByRole('dialog', { name: 'Mitglied hinzufügen' });
    await seat.getByRole('combobox', { name: 'Person' }).pressSequentially('clara', { delay: 30 });
    await seat.getByRole('option', { name: new RegExp(`^${CHAIR.name}`) }).waitFor();
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('Enter');
    await seat.getByLabel('Rolle').selectOption('chair');
    await art.screen(p, 'de-62-committee-seat-dialog');
    await seat.getByRole('button', { name: 'Hinzufügen' }).click();
    await status(p, `${CHAIR.name} hat jetzt einen Sitz als Vorsitz.`);

    // Ids of the people, then the five members' seats through the API.
    for (const u of [CHAIR, ...MEMBERS]) {
      const res = await api(p, 'GET', `/api/v1/t/demo/directory?q=${encodeURIComponent(u.email)}&limit=5`);
      state.members[u.email] = res.members.find((m) => m.email === u.email).membership_id;
    }
    for (const u of MEMBERS) await api(p, 'PUT', `/api/v1/t/demo/committees/${state.committeeId}/members/${state.members[u.email]}`, { role: 'member', voting: true, weight: 1 });
    await p.reload();
    await expectHeading(p, COMMITTEE.name);
    for (const u of [CHAIR, ...MEMBERS]) await p.locator(`tr[data-seat="${u.name}"]`).waitFor();
    await art.screen(p, 'de-63-committee');

    // The committee got its own folder: the chair writes there, the members read it.
    await p.getByTestId('committee-folder').waitFor();
    // The session paper lies in a folder only the chair may read: attaching it is what
    // lets the members read it.
    const papers = await api(p, 'POST', '/api/v1/t/demo/folders', { name: 'Sitzungsunterlagen', parent_id: null });
    await api(p, 'PUT', `/api/v1/t/demo/folders/${papers.id}/permissions`, { principal: { type: 'user', membership_id: state.members[CHAIR.email] }, level: 'read' });
    const bytes = [...makePdf([PAPER, 'Begründung und Planzeichnung'])];
    await p.evaluate(
      async ([folder, data, title]) => {
        const token = (await (await fetch('/api/v1/auth/csrf')).json()).csrf_token;
        const r = await fetch(`/api/v1/t/demo/folders/${folder}/files?file_name=${encodeURIComponent(`${title}.pdf`)}&title=${encodeURIComponent(title)}`, {
          method: 'POST',
          headers: { 'X-CSRF-Token': token, 'Content-Type': 'application/pdf' },
          body: new Uint8Array(data),
        });
        if (!r.ok) throw new Error(`upload: ${r.status} ${await r.text()}`);
      },
      [papers.id, bytes, PAPER],
    );
    state.paperBytes = bytes.length;
  });

  runner.test('committees: the chair plans a meeting, orders the agenda, attaches a paper; a member’s proposal arrives live; the invitation freezes the paper', async () => {
    const c = await signIn(CHAIR);
    state.chair = c;
    await nav(c).getByRole('link', { name: 'Gremien', exact: true }).click();
    await expectHeading(c, 'Gremien');
    await c.getByRole('link', { name: COMMITTEE.name, exact: true }).click();
    await expectHeading(c, COMMITTEE.name);
    await c.getByRole('button', { name: 'Sitzung planen' }).click();
    const dialog = c.getByRole('dialog', { name: 'Sitzung planen' });
    const day = new Date(Date.now() + 24 * 3600 * 1000);
    const ymd = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
    await dialog.getByLabel('Titel').fill(MEETING);
    await dialog.getByLabel('Beginn').fill(`${ymd}T18:00`);
    await dialog.getByLabel('Ende').fill(`${ymd}T17:00`);
    await dialog.getByRole('button', { name: 'Sitzung anlegen' }).click();
    await dialog.getByText('Das Ende muss nach dem Beginn liegen.').waitFor();
    await dialog.getByLabel('Ende').fill(`${ymd}T20:30`);
    await dialog.getByLabel(/^Ort/).fill('Rathaus, Sitzungssaal 2');
    await dialog.getByLabel(/^Online-Teilnahme/).fill('https://video.example.org/bauausschuss');
    await dialog.getByRole('button', { name: 'Sitzung anlegen' }).click();
    await status(c, `Die Sitzung „${MEETING}“ wurde angelegt.`);
    await c.getByRole('link', { name: MEETING }).click();
    await expectHeading(c, MEETING);
    state.meetingURL = new URL(c.url()).pathname;
    state.meetingId = state.meetingURL.split('/').pop();
    await c.getByTestId('meeting-state').getByText('Geplant').waitFor();

    for (const it of ITEMS) {
      await c.getByRole('button', { name: 'Tagesordnungspunkt hinzufügen' }).click();
      const d = c.getByRole('dialog', { name: 'Tagesordnungspunkt hinzufügen' });
      await d.getByLabel('Titel').fill(it.title);
      if (it.description) await d.getByLabel(/^Beschreibung/).fill(it.description);
      if (!it.public) await d.getByLabel('Öffentlicher Tagesordnungspunkt').uncheck();
      await d.getByRole('button', { name: 'Hinzufügen' }).click();
      await status(c, `„${it.title}“ steht jetzt auf der Tagesordnung.`);
    }
    const order = () => c.locator('ol.app-agenda > li').evaluateAll((li) => li.map((x) => x.getAttribute('data-item')));
    expect(JSON.stringify(await order()) === JSON.stringify(ITEMS.map((i) => i.title)), `agenda: ${await order()}`);
    // Keyboard reordering: item 2 up, then back down; focus stays on the moved item.
    await c.getByRole('button', { name: named('Nach oben', `TOP 2 ${ITEMS[1].title}`) }).click();
    await status(c, `„${ITEMS[1].title}“ ist jetzt TOP 1.`);
    await c.waitForFunction((t) => document.querySelector('ol.app-agenda > li')?.getAttribute('data-item') === t, ITEMS[1].title);
    // Focus stays with the moved item (at the top: on its "down" button).
    await c.waitForFunction(() => (document.activeElement?.id ?? '').startsWith('move-down-'), null, { timeout: 5000 });
    await c.keyboard.press('Enter');
    await c.waitForFunction((t) => document.querySelector('ol.app-agenda > li')?.getAttribute('data-item') === t, ITEMS[0].title);
    await c.locator(`li[data-item="${ITEMS[2].title}"]`).getByText('Nicht öffentlich').waitFor();
    // The chair corrects an item's wording.
    await c.getByRole('button', { name: named('Bearbeiten', `TOP 2 ${ITEMS[1].title}`) }).click();
    const edit = c.getByRole('dialog', { name: 'Tagesordnungspunkt bearbeiten' });
    // The dialog fills its fields as it opens.
    await c.waitForFunction((t) => document.querySelector('#item-title')?.value === t, ITEMS[1].title, { timeout: 5000 });
    await edit.getByLabel(/^Beschreibung/).fill('Ausschreibung für die Winter 2026 bis 2029.');
    await edit.getByRole('button', { name: 'Speichern' }).click();
    await c.locator(`li[data-item="${ITEMS[1].title}"]`).getByText('Ausschreibung für die Winter 2026 bis 2029.').waitFor();

    // A session paper, found by its title.
    await c.getByRole('button', { name: named('Unterlage anhängen', ITEMS[0].title) }).click();
    const picker = c.getByRole('dialog', { name: named('Unterlage anhängen', ITEMS[0].title) });
    await picker.getByLabel('Dokument suchen').fill('Bebauungsplan');
    for (let i = 0; ; i++) {
      await picker.getByRole('button', { name: 'Suchen' }).click();
      const hit = picker.getByRole('button', { name: named('Anhängen', PAPER) });
      if (await hit.waitFor({ timeout: 2000 }).then(() => true, () => false)) break;
      expect(i < 15, 'the uploaded paper must be found by the search');
    }
    await art.screen(c, 'de-64-meeting-paper-search');
    await picker.getByRole('button', { name: named('Anhängen', PAPER) }).click();
    const paper = c.locator(`li[data-paper="${PAPER}"]`);
    await paper.getByText('Wird mit der Einladung eingefroren').waitFor();

    // Anton proposes an item from his own browser; the chair's page shows it without reloading.
    const a = await signIn(MEMBERS[0], { width: 320, height: 640 });
    state.pages = [a];
    await a.goto(state.meetingURL);
    await expectHeading(a, MEETING);
    await markNoReload(c);
    await a.getByRole('button', { name: 'Tagesordnungspunkt vorschlagen' }).click();
    const pd = a.getByRole('dialog', { name: 'Tagesordnungspunkt vorschlagen' });
    await pd.getByLabel('Titel').fill(PROPOSAL);
    await pd.getByRole('button', { name: 'Vorschlagen' }).click();
    await status(a, `Ihr Vorschlag „${PROPOSAL}“ wurde eingereicht.`);
    const proposal = c.locator(`li[data-proposal="${PROPOSAL}"]`);
    await proposal.waitFor({ timeout: 15_000 });
    expect(await c.evaluate(() => window.__kollabNoReload === true), 'the proposal must arrive live');
    await proposal.getByText(`von ${MEMBERS[0].name}`).waitFor();
    await proposal.getByRole('button', { name: named('Annehmen', PROPOSAL) }).click();
    await status(c, `„${PROPOSAL}“ wurde in die Tagesordnung aufgenommen.`);
    await a.locator(`ol.app-agenda > li[data-item="${PROPOSAL}"]`).waitFor({ timeout: 15_000 });

    // The invitation freezes the paper at its revision.
    await c.getByRole('button', { name: 'Einladung versenden' }).click();
    const inv = c.getByRole('dialog', { name: 'Einladung versenden?' });
    await inv.getByRole('button', { name: 'Einladung versenden' }).click();
    await c.getByTestId('meeting-state').getByText('Eingeladen').waitFor();
    await paper.getByText('Fassung 1 (eingefroren)').waitFor();
    await art.screen(c, 'de-65-meeting');
    await a.getByTestId('meeting-state').getByText('Eingeladen').waitFor({ timeout: 15_000 });
    await a.locator(`li[data-paper="${PAPER}"]`).getByText('Fassung 1 (eingefroren)').waitFor();
    await art.screen(a, 'w320-60-meeting');
    await ctx.sideways(a, 'the meeting page');

    // Anton may not read the paper's folder, yet the frozen paper opens in the meeting
    // page's preview: attaching it granted it to everyone who sees the item.
    const mine = a.locator(`li[data-paper="${PAPER}"]`);
    await mine.getByRole('button', { name: named('Ansehen', PAPER) }).click();
    const frame = mine.getByTestId('preview-pdf');
    await frame.waitFor();
    const src = await frame.getAttribute('src');
    expect(src.includes('/papers/') && src.includes('disposition=inline'), `the preview asks the paper's own address: ${src}`);
    const got = await a.evaluate(async (u) => {
      const r = await fetch(u);
      const b = new Uint8Array(await r.arrayBuffer());
      return { status: r.status, type: r.headers.get('content-type'), size: b.length, head: String.fromCharCode(...b.subarray(0, 5)) };
    }, src);
    expect(got.status === 200 && got.type === 'application/pdf' && got.head === '%PDF-' && got.size === state.paperBytes, `the member reads the frozen PDF: ${JSON.stringify(got)}`);
    // The browser's PDF viewer renders it in the frame (a refused frame shows Chromium's error page).
    await eventually(
      () => a.frames().map((f) => f.url()),
      (urls) => urls.some((u) => u.includes('/papers/') && u.includes('disposition=inline')) && !urls.some((u) => u.startsWith('chrome-error:')),
      'the paper frame loads the paper',
    );
    expect((await a.getByText('nicht lesen dürfen').count()) === 0, 'no paper is shown as unreadable to a member');
    const docId = (await mine.getAttribute('data-document')) ?? '';
    const direct = await a.evaluate(async (id) => (await fetch(`/api/v1/t/demo/documents/${id}`)).status, docId);
    expect(docId !== '' && direct === 404, `the member still cannot open the document in its folder: ${docId} ${direct}`);
    await art.screen(a, 'w320-60b-meeting-paper-preview');
    await mine.getByRole('button', { name: named('Vorschau schließen', PAPER) }).click();
  });

  runner.test('committees: the other members sign in; the chair opens the session and records attendance with the quorum live', async () => {
    for (const u of MEMBERS.slice(1)) {
      const p = await signIn(u);
      await p.goto(state.meetingURL);
      await expectHeading(p, MEETING);
      state.pages.push(p);
    }
    const c = state.chair;
    await c.getByRole('button', { name: 'Sitzung eröffnen' }).click();
    await c.getByRole('dialog', { name: 'Sitzung eröffnen?' }).getByRole('button', { name: 'Sitzung eröffnen' }).click();
    await expectHeading(c, `Sitzungsleitung: ${MEETING}`);
    const quorum = c.getByTestId('quorum-meeting');
    await quorum.getByText('Nicht beschlussfähig').waitFor();
    const people = [CHAIR, ...MEMBERS];
    for (const [i, u] of people.entries()) {
      await c.getByRole('button', { name: named('Anwesend', u.name) }).click();
      await c.locator(`tr[data-attendee="${u.name}"][data-status="here"]`).waitFor();
      // Six voting members, more than half needed: reached with the fourth.
      await c.waitForFunction((want) => document.querySelector('[data-testid=quorum-meeting]')?.getAttribute('data-reached') === want, String(i >= 3));
    }
    await quorum.getByText('Anwesendes Stimmgewicht: 6 von 6 (nötig: 4).').waitFor();
    // Emil leaves and comes back.
    await c.getByRole('button', { name: named('Verlässt die Sitzung', MEMBERS[4].name) }).click();
    await quorum.getByText('Anwesendes Stimmgewicht: 5 von 6 (nötig: 4).').waitFor();
    await c.locator(`tr[data-attendee="${MEMBERS[4].name}"]`).getByText(/^Gegangen um/).waitFor();
    await c.getByRole('button', { name: named('Anwesend', MEMBERS[4].name) }).click();
    await quorum.getByText('Anwesendes Stimmgewicht: 6 von 6 (nötig: 4).').waitFor();
    await c.getByTestId('current-item').getByText(ITEMS[0].title).waitFor();
    await art.screen(c, 'de-66-console-quorum');
    await state.pages[1].getByTestId('meeting-state').getByText('In Sitzung').waitFor({ timeout: 15_000 });
  });

  runner.test('committees: a named poll: members vote with a confirmation step, get a receipt, and see the live count without reloading', async () => {
    const c = state.chair;
    const [a, b, cc, d, e] = state.pages;
    await c.getByRole('button', { name: 'Abstimmung anlegen' }).click();
    const dlg = c.getByRole('dialog', { name: 'Abstimmung zu TOP 1' });
    await dlg.getByLabel(/^Gegenstand der Abstimmung/).fill(NAMED);
    await dlg.getByLabel('Namentlich').check();
    await dlg.getByLabel('Ja / Nein / Enthaltung').check();
    await art.screen(c, 'de-67-console-new-poll');
    await dlg.getByRole('button', { name: 'Als Entwurf anlegen' }).click();
    await poll(c, NAMED).waitFor();
    for (const p of state.pages) await markNoReload(p);
    await poll(c, NAMED).getByRole('button', { name: /^Abstimmung öffnen/ }).click();
    await c.locator(`article[data-poll="${NAMED}"][data-state="open"]`).waitFor();

    // Every member's page shows the open poll by itself.
    for (const p of state.pages) await p.locator(`article[data-poll="${NAMED}"][data-state="open"]`).waitFor({ timeout: 15_000 });
    await poll(a, NAMED).getByRole('button', { name: 'Ja', exact: true }).waitFor();
    await art.screen(a, 'w320-61-vote');
    await ctx.sideways(a, 'the voting view');
    await art.screen(b, 'de-68-vote');
    // Anton (320 px): choose, confirm, receipt.
    await poll(a, NAMED).getByRole('button', { name: 'Ja', exact: true }).click();
    await poll(a, NAMED).getByRole('heading', { name: 'Bitte bestätigen' }).waitFor();
    expect(await poll(a, NAMED).evaluate((el) => el.contains(document.activeElement)), 'the confirmation takes focus');
    await art.screen(a, 'w320-62-vote-confirm');
    await poll(a, NAMED).getByRole('button', { name: 'Stimme verbindlich abgeben' }).click();
    await poll(a, NAMED).getByTestId('vote-receipt').getByText('Ihre Stimme wurde gezählt').waitFor();
    await art.screen(a, 'w320-63-vote-receipt');
    await ctx.sideways(a, 'the receipt');
    // The others see the count move without reloading.
    await expectCount(b, NAMED, 1);
    await expectCount(e, NAMED, 1);
    await expectCount(c, NAMED, 1);
    await vote(b, NAMED, 'Ja');
    await expectCount(d, NAMED, 2);
    await vote(cc, NAMED, 'Nein');
    await vote(d, NAMED, 'Enthaltung');
    await expectCount(e, NAMED, 4);
    await art.screen(e, 'de-69-vote-live-count');
    await vote(e, NAMED, 'Ja');
    await vote(c, NAMED, 'Ja');
    for (const p of state.pages) await expectCount(p, NAMED, 6);
    // One vote each: a second tab (no receipt kept there) knows from the server that the
    // ballot is in, and offers no second one (a 409 answer says the same: VoteForm.test).
    const again = await a.context().newPage();
    env.watch(again);
    await again.goto(state.meetingURL);
    await poll(again, NAMED).getByTestId('vote-already').getByText('Sie haben bereits abgestimmt').waitFor();
    expect((await poll(again, NAMED).getByRole('button', { name: 'Nein', exact: true }).count()) === 0, 'no second ballot');
    await art.screen(again, 'w320-64-vote-already');
    await again.close();
    await expectCount(b, NAMED, 6);

    // The chair closes and publishes; the result appears everywhere.
    await poll(c, NAMED).getByRole('button', { name: /^Abstimmung schließen/ }).click();
    const close = c.getByRole('dialog', { name: `Abstimmung „${NAMED}“ schließen?` });
    await close.getByText('Bisher sind 6 Stimmen abgegeben.', { exact: false }).waitFor();
    await close.getByRole('button', { name: 'Abstimmung schließen' }).click();
    await poll(c, NAMED).getByTestId('verdict').getByText('Angenommen').waitFor();
    await b.locator(`article[data-poll="${NAMED}"][data-state="closed"]`).waitFor({ timeout: 15_000 });
    expect((await poll(b, NAMED).getByTestId('poll-result').count()) === 0, 'no result before publication');
    await poll(c, NAMED).getByRole('button', { name: /^Ergebnis veröffentlichen/ }).click();
    for (const p of state.pages) await poll(p, NAMED).getByTestId('verdict').getByText('Angenommen').waitFor({ timeout: 15_000 });
    const result = poll(b, NAMED).getByTestId('poll-result');
    await eventually(
      () => result.locator('table').first().locator('tbody tr').allTextContents(),
      (rows) => rows.length === 3 && rows[0].startsWith('Ja4') && rows[1].startsWith('Nein1') && rows[2].startsWith('Enthaltung1'),
      'result table',
    );
    await result.getByText('4 Stimmen · 66,7 %').waitFor();
    await eventually(
      () => result.locator('table').nth(1).locator('tbody tr').allTextContents(),
      (rows) => rows.length === 6 && rows.some((r) => r.startsWith(`${MEMBERS[2].name}Nein`)),
      'named votes',
    );
    await art.screen(b, 'de-70-result-named');
    await poll(a, NAMED).getByTestId('poll-result').scrollIntoViewIfNeeded();
    await art.screen(a, 'w320-65-result');
    await ctx.sideways(a, 'the result');
  });

  runner.test('committees: a secret election on a non-public item; a conflicted member is told why he has no ballot; the result shows who is elected', async () => {
    const c = state.chair;
    const [a, b, cc, d, e] = state.pages;
    // Emil declares a conflict of interest on the personnel item from his meeting page.
    const item = e.locator(`li[data-item="${ITEMS[2].title}"]`);
    await item.getByRole('button', { name: named('Befangenheit erklären', ITEMS[2].title) }).click();
    const cd = e.getByRole('dialog', { name: named('Befangenheit erklären', ITEMS[2].title) });
    await cd.getByLabel(/^Grund/).fill('Ich kandidiere selbst.');
    await cd.getByRole('button', { name: 'Erklären' }).click();
    await item.getByRole('button', { name: named('Befangenheit zurückziehen', ITEMS[2].title) }).waitFor();
    // The chair moves on to the item: its quorum leaves Emil out.
    await c.getByRole('button', { name: 'Nächster Punkt' }).click();
    await c.getByRole('button', { name: 'Nächster Punkt' }).click();
    await c.getByTestId('current-item').getByText(ITEMS[2].title).waitFor();
    await c.getByTestId('quorum-item').getByText('Anwesendes Stimmgewicht: 5 von 5 (nötig: 3).').waitFor({ timeout: 15_000 });
    await c.getByRole('button', { name: 'Abstimmung anlegen' }).click();
    const dlg = c.getByRole('dialog', { name: 'Abstimmung zu TOP 3' });
    await dlg.getByLabel(/^Gegenstand der Abstimmung/).fill(SECRET);
    await dlg.getByLabel('Geheim').check();
    await dlg.getByLabel('Wahl zwischen Optionen').check();
    await dlg.getByLabel(/^Optionen/).fill(`${MEMBERS[0].name}\n${MEMBERS[1].name}\n${MEMBERS[2].name}`);
    await dlg.getByLabel(/^Zu besetzende Sitze/).fill('2');
    await dlg.getByRole('button', { name: 'Als Entwurf anlegen' }).click();
    await poll(c, SECRET).getByRole('button', { name: /^Abstimmung öffnen/ }).click();
    for (const p of state.pages) await p.locator(`article[data-poll="${SECRET}"][data-state="open"]`).waitFor({ timeout: 15_000 });
    for (const p of state.pages) await markNoReload(p);

    // Anton at 320 px: two of three, the third is then unavailable.
    const card = poll(a, SECRET);
    await card.getByLabel(MEMBERS[0].name, { exact: true }).check();
    await card.getByLabel(MEMBERS[1].name, { exact: true }).check();
    expect(await card.getByLabel(MEMBERS[2].name, { exact: true }).isDisabled(), 'no more options than seats');
    await card.getByText('2 von 2 gewählt').waitFor();
    await art.screen(a, 'w320-66-election');
    await ctx.sideways(a, 'the election ballot');
    await card.getByRole('button', { name: 'Weiter zur Bestätigung' }).click();
    await card.getByRole('button', { name: 'Stimme verbindlich abgeben' }).click();
    await card.getByText('Die Abstimmung ist geheim: Ihre Stimme ist ohne Ihren Namen gespeichert.').waitFor();
    await expectCount(d, SECRET, 1);
    await elect(b, SECRET, [MEMBERS[0].name, MEMBERS[2].name]);
    await elect(cc, SECRET, [MEMBERS[0].name]);
    await elect(d, SECRET, [MEMBERS[1].name, MEMBERS[0].name]);
    await expectCount(b, SECRET, 4);
    await elect(c, SECRET, [MEMBERS[1].name]);
    // Emil declared a conflict on the item: his page says so instead of offering a ballot
    // (the server would refuse it: TestVoteBar).
    const ec = poll(e, SECRET);
    await ec.getByTestId('vote-no-seat').getByText('Sie haben sich für diesen Tagesordnungspunkt für befangen erklärt und stimmen nicht mit ab.').waitFor();
    expect((await ec.getByLabel(MEMBERS[0].name, { exact: true }).count()) === 0, 'no ballot for a conflicted member');
    expect((await ec.getByRole('button', { name: 'Weiter zur Bestätigung' }).count()) === 0, 'no ballot buttons for a conflicted member');
    await art.screen(e, 'de-71-vote-refused');
    await expectCount(e, SECRET, 5);

    await poll(c, SECRET).getByRole('button', { name: /^Abstimmung schließen/ }).click();
    await c.getByRole('dialog', { name: `Abstimmung „${SECRET}“ schließen?` }).getByRole('button', { name: 'Abstimmung schließen' }).click();
    await poll(c, SECRET).getByRole('button', { name: /^Ergebnis veröffentlichen/ }).click();
    await art.screen(c, 'de-72-console-results');
    const res = poll(b, SECRET).getByTestId('poll-result');
    await res.getByTestId('verdict').getByText('Gewählt').waitFor({ timeout: 15_000 });
    await res.getByTestId('verdict').getByText(`${MEMBERS[0].name}, ${MEMBERS[1].name}`).waitFor();
    expect((await res.locator('table').count()) === 1, 'a secret poll lists no named votes');
    await eventually(
      () => res.locator('tbody tr').allTextContents(),
      (rows) => rows.length >= 3 && rows[0].startsWith(`${MEMBERS[0].name} gewählt4`) && rows[2].startsWith(`${MEMBERS[2].name}1`),
      'election table',
    );
    await poll(b, SECRET).scrollIntoViewIfNeeded();
    await art.screen(b, 'de-73-result-election');
    // English, the same result.
    await b.getByRole('button', { name: /English/ }).click();
    await poll(b, SECRET).getByTestId('verdict').getByText('Elected').waitFor();
    await art.screen(b, 'en-60-meeting-results');
    await b.getByRole('button', { name: /Deutsch/ }).click();
    await poll(b, SECRET).getByTestId('verdict').getByText('Gewählt').waitFor();
  });

  runner.test('committees: a secret poll with two ballots is not counted; the chair annuls it with a reason; members see it annulled', async () => {
    const c = state.chair;
    const [a, b] = state.pages;
    await c.getByRole('button', { name: 'Abstimmung anlegen' }).click();
    const dlg = c.getByRole('dialog', { name: 'Abstimmung zu TOP 3' });
    await dlg.getByLabel(/^Gegenstand der Abstimmung/).fill(TOO_FEW);
    await dlg.getByLabel('Geheim').check();
    await dlg.getByLabel('Ja / Nein / Enthaltung').check();
    // Where the kind is chosen: a secret poll counts one vote per person.
    await dlg.getByText(/Geheime Abstimmungen zählen eine Stimme je Person/).waitFor();
    await art.screen(c, 'de-74-new-secret-poll');
    await dlg.getByRole('button', { name: 'Als Entwurf anlegen' }).click();
    await poll(c, TOO_FEW).getByRole('button', { name: /^Abstimmung öffnen/ }).click();
    for (const p of [a, b]) await p.locator(`article[data-poll="${TOO_FEW}"][data-state="open"]`).waitFor({ timeout: 15_000 });
    await vote(a, TOO_FEW, 'Ja');
    await vote(b, TOO_FEW, 'Nein');
    await expectCount(c, TOO_FEW, 2);
    await poll(c, TOO_FEW).getByRole('button', { name: /^Abstimmung schließen/ }).click();
    await c.getByRole('dialog', { name: `Abstimmung „${TOO_FEW}“ schließen?` }).getByRole('button', { name: 'Abstimmung schließen' }).click();
    // The chair's console: too few votes for a secret count, no publication, annulment.
    const card = poll(c, TOO_FEW);
    await card.getByText(/zu wenige Stimmen für eine geheime Auswertung/).waitFor({ timeout: 15_000 });
    expect((await card.getByRole('button', { name: /^Ergebnis veröffentlichen/ }).count()) === 0, 'no publication of two secret ballots');
    await art.screen(c, 'de-75-console-too-few');
    await card.getByRole('button', { name: /^Abstimmung annullieren/ }).click();
    const ad = c.getByRole('dialog', { name: `Abstimmung „${TOO_FEW}“ annullieren?` });
    await ad.getByLabel(/^Grund der Annullierung/).fill('Zu wenige Stimmen; Wahl in der nächsten Sitzung.');
    await art.screen(c, 'de-76-annul-dialog');
    await ad.getByRole('button', { name: 'Abstimmung annullieren' }).click();
    await c.locator(`article[data-poll="${TOO_FEW}"][data-state="annulled"]`).waitFor({ timeout: 15_000 });
    // A member's page shows it annulled, with the reason and without any result.
    const mc = b.locator(`article[data-poll="${TOO_FEW}"][data-state="annulled"]`);
    await mc.waitFor({ timeout: 15_000 });
    await mc.getByText('Annulliert – kein Beschluss.').waitFor();
    await mc.getByText('Grund: Zu wenige Stimmen; Wahl in der nächsten Sitzung.').waitFor();
    expect((await mc.getByTestId('poll-result').count()) === 0, 'an annulled poll shows no result');
    await art.screen(b, 'de-77-poll-annulled');
  });

  runner.test('committees: the chair calls TOP 2 and members see “jetzt: TOP 2”; a draft on the wrong item is moved; a poll opened by mistake is annulled with a reason', async () => {
    const c = state.chair;
    const [a, b] = state.pages;
    // Opening the last poll called its item, TOP 3: every member's page says so.
    await b.getByTestId('now-banner').getByText('jetzt: TOP 3').waitFor({ timeout: 15_000 });
    for (const p of [a, b]) await markNoReload(p);
    await c.getByRole('button', { name: 'Vorheriger Punkt' }).click();
    await c.getByTestId('current-item').getByText(ITEMS[1].title).waitFor();
    await c.getByTestId('console-called').getByText('Aufgerufen ist TOP 3.', { exact: false }).waitFor();
    await c.getByRole('button', { name: 'Diesen TOP aufrufen' }).click();
    await c.getByTestId('console-called').getByText('Dieser Punkt ist aufgerufen: Die Mitglieder sehen „jetzt: TOP 2“.').waitFor();
    for (const p of [a, b]) await p.getByTestId('now-banner').getByText('jetzt: TOP 2').waitFor({ timeout: 15_000 });
    await b.getByTestId('now-banner').getByText(ITEMS[1].title, { exact: false }).waitFor();
    expect(await b.evaluate(() => window.__kollabNoReload === true), 'the called item must arrive live');
    await art.screen(c, 'de-93-console-called');
    await art.screen(b, 'de-94-meeting-now');
    await art.screen(a, 'w320-68-meeting-now');
    // The console opens at the called item.
    await c.goto(`${state.meetingURL}/console`);
    await expectHeading(c, `Sitzungsleitung: ${MEETING}`);
    await c.getByTestId('current-item').getByText(ITEMS[1].title).waitFor();
    await markNoReload(c);

    // A poll created on the wrong item (TOP 1) is moved to TOP 2 while it is a draft.
    await c.getByRole('button', { name: 'Vorheriger Punkt' }).click();
    await c.getByTestId('current-item').getByText(ITEMS[0].title).waitFor();
    await c.getByRole('button', { name: 'Abstimmung anlegen' }).click();
    const dlg = c.getByRole('dialog', { name: 'Abstimmung zu TOP 1' });
    await dlg.getByLabel(/^Gegenstand der Abstimmung/).fill(WRONG);
    await dlg.getByLabel('Namentlich').check();
    await dlg.getByLabel('Ja / Nein / Enthaltung').check();
    await dlg.getByRole('button', { name: 'Als Entwurf anlegen' }).click();
    await poll(c, WRONG).getByRole('button', { name: named('Entwurf bearbeiten', WRONG) }).click();
    const ed = c.getByRole('dialog', { name: `Abstimmung „${WRONG}“ bearbeiten` });
    await c.waitForFunction((t) => [...document.querySelectorAll('dialog[open] textarea')].some((x) => x.value === t), WRONG, { timeout: 5000 });
    await ed.getByLabel(/^Tagesordnungspunkt/).selectOption({ label: `TOP 2: ${ITEMS[1].title}` });
    await art.screen(c, 'de-95-poll-move');
    await ed.getByRole('button', { name: 'Änderungen speichern' }).click();
    await status(c, `Die Abstimmung „${WRONG}“ gehört jetzt zu TOP 2.`);
    await c.getByRole('button', { name: 'Nächster Punkt' }).click();
    await c.getByTestId('current-item').getByText(ITEMS[1].title).waitFor();
    await c.locator(`article[data-poll="${WRONG}"][data-state="draft"]`).waitFor();
    await poll(c, WRONG).getByRole('button', { name: /^Abstimmung öffnen/ }).click();
    for (const p of [a, b]) await p.locator(`article[data-poll="${WRONG}"][data-state="open"]`).waitFor({ timeout: 15_000 });
    await vote(a, WRONG, 'Ja');
    await vote(b, WRONG, 'Ja');
    await expectCount(c, WRONG, 2);
    await poll(c, WRONG).getByRole('button', { name: /^Abstimmung schließen/ }).click();
    await c.getByRole('dialog', { name: `Abstimmung „${WRONG}“ schließen?` }).getByRole('button', { name: 'Abstimmung schließen' }).click();
    await poll(c, WRONG).getByTestId('verdict').getByText('Angenommen').waitFor();

    // A poll opened by mistake: the chair, browsing elsewhere, gets back to it and annuls it.
    await c.getByRole('button', { name: 'Abstimmung anlegen' }).click();
    const md = c.getByRole('dialog', { name: 'Abstimmung zu TOP 2' });
    await md.getByLabel(/^Gegenstand der Abstimmung/).fill(MISTAKE);
    await md.getByLabel('Namentlich').check();
    await md.getByLabel('Ja / Nein / Enthaltung').check();
    await md.getByRole('button', { name: 'Als Entwurf anlegen' }).click();
    await poll(c, MISTAKE).getByRole('button', { name: /^Abstimmung öffnen/ }).click();
    await b.locator(`article[data-poll="${MISTAKE}"][data-state="open"]`).waitFor({ timeout: 15_000 });
    await vote(b, MISTAKE, 'Nein');
    await c.getByRole('button', { name: 'Vorheriger Punkt' }).click();
    const running = c.locator('.app-console__running', { hasText: `Laufende Abstimmung zu TOP 2: „${MISTAKE}“` });
    await running.waitFor();
    await art.screen(c, 'de-96-console-running-elsewhere');
    await running.getByRole('button', { name: 'Zu TOP 2 wechseln' }).click();
    await c.getByTestId('current-item').getByText(ITEMS[1].title).waitFor();
    await poll(c, MISTAKE).getByRole('button', { name: /^Abstimmung annullieren/ }).click();
    const ad = c.getByRole('dialog', { name: `Abstimmung „${MISTAKE}“ annullieren?` });
    await ad.getByText(/abgegebene Stimmen bleiben gespeichert/).waitFor();
    await ad.getByLabel(/^Grund der Annullierung/).fill(MISTAKE_REASON);
    await ad.getByRole('button', { name: 'Abstimmung annullieren' }).click();
    await c.locator(`article[data-poll="${MISTAKE}"][data-state="annulled"]`).waitFor({ timeout: 15_000 });
    const mc = b.locator(`article[data-poll="${MISTAKE}"][data-state="annulled"]`);
    await mc.waitFor({ timeout: 15_000 });
    await mc.getByText(`Grund: ${MISTAKE_REASON}`).waitFor();
    expect((await mc.getByTestId('poll-result').count()) === 0, 'an annulled poll shows no result');
    await art.screen(b, 'de-97-meeting-annulled');
  });

  runner.test('committees: proxy voting: a member transfers her vote on the meeting page; the proxy casts both ballots and the count goes up by two', async () => {
    const c = state.chair;
    const [, , cc, d] = state.pages;
    const [carl, doris] = [MEMBERS[2], MEMBERS[3]];
    await api(c, 'PATCH', `/api/v1/t/demo/committees/${state.committeeId}`, { proxy_allowed: true });
    // Doris hands her vote to Carl on the meeting page.
    await d.reload();
    await expectHeading(d, MEETING);
    const panel = d.getByTestId('delegation');
    await panel.getByRole('button', { name: 'Stimmrecht übertragen' }).click();
    const dlg = d.getByRole('dialog', { name: 'Stimmrecht für diese Sitzung übertragen' });
    await dlg.getByLabel('Vertretung').selectOption({ label: carl.name });
    await dlg.getByText(`${carl.name} gibt in dieser Sitzung Ihre Stimme ab.`, { exact: false }).waitFor();
    await art.screen(d, 'de-90-delegation-dialog');
    await dlg.getByRole('button', { name: 'Übertragung bestätigen' }).click();
    await panel.getByText(`Ihre Stimme gibt ${carl.name} ab`).first().waitFor();
    await markNoReload(d);
    // The chair opens a poll; Carl sees his own ballot and one for Doris, Doris none.
    await c.getByRole('button', { name: 'Abstimmung anlegen' }).click();
    const pd = c.getByRole('dialog', { name: /^Abstimmung zu TOP/ });
    await pd.getByLabel(/^Gegenstand der Abstimmung/).fill(PROXY);
    await pd.getByLabel('Namentlich').check();
    await pd.getByLabel('Ja / Nein / Enthaltung').check();
    await pd.getByRole('button', { name: 'Als Entwurf anlegen' }).click();
    await poll(c, PROXY).getByRole('button', { name: /^Abstimmung öffnen/ }).click();
    await d.locator(`article[data-poll="${PROXY}"][data-state="open"]`).waitFor({ timeout: 15_000 });
    await poll(d, PROXY).getByTestId('vote-delegated').getByText(`Ihre Stimme gibt ${carl.name} ab`).waitFor();
    expect((await poll(d, PROXY).getByRole('button', { name: 'Ja', exact: true }).count()) === 0, 'a delegator has no ballot buttons');
    const card = poll(cc, PROXY);
    await card.waitFor({ timeout: 15_000 });
    const forDoris = card.getByRole('group', { name: `Stimme für ${doris.name} abgeben` });
    await forDoris.waitFor({ timeout: 15_000 });
    await forDoris.scrollIntoViewIfNeeded();
    await art.screen(cc, 'de-91-vote-proxy');
    await ctx.sideways(cc, 'the proxy ballot');
    await card.getByRole('group', { name: 'Ihre Stimme' }).getByRole('button', { name: 'Ja', exact: true }).click();
    await card.getByRole('button', { name: 'Stimme verbindlich abgeben' }).click();
    await card.getByText('Ihre Stimme wurde gezählt').waitFor();
    await forDoris.getByRole('button', { name: 'Nein', exact: true }).click();
    await card.getByRole('heading', { name: `Für ${doris.name}: Bitte bestätigen` }).waitFor();
    await card.getByRole('button', { name: 'Stimme verbindlich abgeben' }).click();
    await card.locator(`[data-proxy-for="${doris.name}"][data-testid=vote-receipt]`).getByText(`Die Stimme für ${doris.name} wurde gezählt`).waitFor();
    await art.screen(cc, 'de-92-vote-proxy-receipt');
    await expectCount(d, PROXY, 2);
    await expectCount(c, PROXY, 2);
    await poll(c, PROXY).getByRole('button', { name: /^Abstimmung schließen/ }).click();
    await c.getByRole('dialog', { name: `Abstimmung „${PROXY}“ schließen?` }).getByRole('button', { name: 'Abstimmung schließen' }).click();
    await poll(c, PROXY).getByTestId('verdict').waitFor();
    // Doris takes the transfer back.
    await panel.getByRole('button', { name: 'Übertragung zurücknehmen' }).click();
    await d.getByRole('dialog', { name: 'Übertragung zurücknehmen?' }).getByRole('button', { name: 'Übertragung zurücknehmen' }).click();
    await status(d, 'Die Übertragung ist zurückgenommen. Sie stimmen wieder selbst ab.');
    await panel.getByRole('button', { name: 'Stimmrecht übertragen' }).waitFor();
  });

  runner.test('committees: the chair closes the session; the minutes editor saves with If-Match and reports a concurrent change; approval files the PDF', async () => {
    const c = state.chair;
    await c.getByRole('button', { name: 'Sitzung schließen' }).click();
    await c.getByRole('dialog', { name: 'Sitzung schließen?' }).getByRole('button', { name: 'Sitzung schließen' }).click();
    await expectHeading(c, `Niederschrift: ${MEETING}`);
    await c.getByText('Entwurf', { exact: true }).first().waitFor();
    const first = ITEMS[0];
    const summary = c.getByLabel('Zusammenfassung der Beratung zu TOP 1');
    await summary.fill('Der Ausschuss beriet den Entwurf ausführlich; Fragen zur Erschließung wurden beantwortet.');
    await c.getByLabel('Beschlusstext zu TOP 1').fill(`Der ${first.title} wird als Entwurf beschlossen.`);
    await c.getByRole('button', { name: 'Entwurf speichern' }).click();
    await status(c, 'Der Entwurf wurde gespeichert');
    await c.locator(`[data-minutes-poll="${NAMED}"]`).getByText('Ja 4 · Nein 1 · Enthaltung 1').waitFor();
    // The poll opened by mistake stands annulled, with its reason, and is no decision; the
    // moved one is a decision of TOP 2.
    const mistake = c.locator(`[data-minutes-poll="${MISTAKE}"]`);
    await mistake.getByTestId('minutes-poll-void').getByText(`Grund: ${MISTAKE_REASON}`, { exact: false }).waitFor();
    const mistakeText = await mistake.textContent();
    expect(/annulliert – kein Beschluss/.test(mistakeText) && !/angenommen|abgelehnt|Ja \d/.test(mistakeText), `annulled poll in the minutes: ${mistakeText}`);
    await c.locator(`[data-minutes-poll="${WRONG}"]`).getByText('Ja 2 · Nein 0 · Enthaltung 0', { exact: false }).waitFor();
    await mistake.scrollIntoViewIfNeeded();
    await art.screen(c, 'de-75b-minutes-annulled');
    // Someone else saves meanwhile: the next save meets 412 and says so.
    await c.evaluate(async (id) => {
      const m = await (await fetch(`/api/v1/t/demo/meetings/${id}/minutes`)).json();
      const token = (await (await fetch('/api/v1/auth/csrf')).json()).csrf_token;
      const r = await fetch(`/api/v1/t/demo/meetings/${id}/minutes`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token, 'If-Match': `"${m.version}"` },
        body: JSON.stringify({ closing: 'Die Vorsitzende schloss die Sitzung um 20:15 Uhr.' }),
      });
      if (!r.ok) throw new Error(`concurrent edit: ${r.status}`);
    }, state.meetingId);
    await c.getByLabel('Einleitung').fill('Die Vorsitzende eröffnete die Sitzung und stellte die ordnungsgemäße Einladung fest.');
    await c.getByRole('button', { name: 'Entwurf speichern' }).click();
    const stale = c.locator('[role=alert]', { hasText: 'Die Niederschrift wurde inzwischen geändert' });
    await stale.waitFor();
    await art.screen(c, 'de-74-minutes-changed-meanwhile');
    await stale.getByRole('button', { name: 'Neue Fassung laden' }).click();
    await stale.waitFor({ state: 'detached' });
    await eventually(() => c.getByLabel('Schlussbemerkung').inputValue(), (v) => v.includes('20:15 Uhr'), 'the reloaded draft has the other change');
    await c.getByLabel('Einleitung').fill('Die Vorsitzende eröffnete die Sitzung und stellte die ordnungsgemäße Einladung fest.');
    await c.getByRole('button', { name: 'Entwurf speichern' }).click();
    await status(c, 'Der Entwurf wurde gespeichert');
    await art.screen(c, 'de-75-minutes-editor');
    // The draft PDF for the managers.
    const draft = await c.request.get(`/api/v1/t/demo/meetings/${state.meetingId}/minutes.pdf`);
    expect(draft.ok() && (draft.headers()['content-type'] ?? '').includes('application/pdf'), `draft PDF: ${draft.status()}`);
    expect((await draft.body()).subarray(0, 5).toString() === '%PDF-', 'the draft is a PDF');

    // The chair approves into the committee's own folder, which the dialog opens with;
    // no administrator granted her anything there.
    await c.getByRole('button', { name: 'Genehmigen und ablegen' }).click();
    const picker = c.getByRole('dialog', { name: 'Ordner für die Niederschrift wählen' });
    await picker.locator('#picker-target strong', { hasText: COMMITTEE.name }).waitFor();
    expect((await picker.getByTestId('picker-blocked').count()) === 0, 'the committee folder can be chosen');
    await art.screen(c, 'de-76-minutes-approve-folder');
    await picker.getByRole('button', { name: 'Hier ablegen und genehmigen' }).click();
    await status(c, `Die Niederschrift ist genehmigt und mit den Beschlussauszügen in „${COMMITTEE.name}“ abgelegt.`);
    await c.getByText('Genehmigt', { exact: true }).first().waitFor();
    await c.getByRole('link', { name: /^Abgelegt als Fassung 1/ }).waitFor();
    await c.getByRole('link', { name: /^Beschlussauszug zu TOP 1 abgelegt/ }).waitFor();
    await c.getByRole('link', { name: 'Beschlussauszug zu TOP 1 (PDF)' }).waitFor();
    expect((await c.getByLabel('Einleitung').count()) === 0, 'approved minutes are read-only');
    await art.screen(c, 'de-77-minutes-approved');
    for (const u of [`/api/v1/t/demo/meetings/${state.meetingId}/minutes.pdf?variant=public`, await c.getByRole('link', { name: 'Beschlussauszug zu TOP 1 (PDF)' }).getAttribute('href')]) {
      const r = await c.request.get(u);
      expect(r.ok() && (await r.body()).subarray(0, 5).toString() === '%PDF-', `${u}: ${r.status()}`);
    }

    // A member reads the approved minutes from the meeting page.
    const b = state.pages[1];
    await b.goto(state.meetingURL);
    await b.getByTestId('meeting-state').getByText('Niederschrift genehmigt').waitFor();
    await b.getByRole('link', { name: 'Niederschrift', exact: true }).click();
    await expectHeading(b, `Niederschrift: ${MEETING}`);
    await b.getByText(`Der ${first.title} wird als Entwurf beschlossen.`).waitFor();
    await art.screen(b, 'de-78-minutes-member');
    // The filed minutes lie in the committee's folder, which every member reads.
    const folder = (await api(b, 'GET', `/api/v1/t/demo/committees/${state.committeeId}`)).filing_folder_id;
    await eventually(
      async () => (await api(b, 'GET', `/api/v1/t/demo/folders/${folder}/documents?limit=50`)).documents.map((d) => d.title),
      (titles) => titles.some((x) => x.startsWith(`Niederschrift ${COMMITTEE.name}`)) && titles.some((x) => x.startsWith(`Beschlussauszug ${COMMITTEE.name}`)),
      'the member finds the minutes and the decision extracts in the committee folder',
    );
    const a = state.pages[0];
    await a.goto(b.url());
    await expectHeading(a, `Niederschrift: ${MEETING}`);
    await art.screen(a, 'w320-67-minutes');
    await ctx.sideways(a, 'the minutes');
  });

  runner.test('committees: a Finder-like WebDAV client of a member mounts the drive, finds the committee folder and opens the minutes PDF by its file name', async () => {
    const member = MEMBERS[1];
    const b = state.pages[1];
    // A read-only app password, as a member makes one for Finder or Explorer.
    await api(b, 'POST', '/api/v1/me/reauth', { password: member.password });
    const { token } = await api(b, 'POST', '/api/v1/me/tokens', { name: 'Finder', scope: 'read' });
    const auth = { Authorization: `Basic ${Buffer.from(`${member.email}:${token}`).toString('base64')}` };
    const dav = async (method, href, headers = {}, body) => fetch(new URL(href, server.baseURL), { method, headers: { ...auth, ...headers }, body });
    const listing = async (href) => {
      const r = await dav('PROPFIND', href, { Depth: '1', 'Content-Type': 'application/xml' }, '<?xml version="1.0"?><propfind xmlns="DAV:"><allprop/></propfind>');
      const text = await r.text();
      expect(r.status === 207, `PROPFIND ${href}: ${r.status} ${text.slice(0, 200)}`);
      return [...text.matchAll(/<(?:\w+:)?href>([^<]+)<\/(?:\w+:)?href>/g)].map((m) => decodeURIComponent(m[1]));
    };
    // The drive's top level shows the committee folder, though the member reads nothing else of "Gremien".
    const top = await listing('/dav/demo/');
    const folder = top.find((h) => h.replace(/\/$/, '').endsWith(`/${COMMITTEE.name}`));
    expect(folder, `the committee folder at the top of the drive: ${top.join(', ')}`);
    const files = await listing(encodeURI(folder));
    const minutes = files.find((h) => /\/Niederschrift [^/]*\.pdf$/.test(h));
    expect(minutes, `the minutes PDF by its file name: ${files.join(', ')}`);
    const got = await dav('GET', encodeURI(minutes));
    const bytes = Buffer.from(await got.arrayBuffer());
    expect(got.status === 200 && bytes.subarray(0, 5).toString() === '%PDF-', `GET ${minutes}: ${got.status}`);
    // The token reads; it never writes, not even where the member could.
    const put = await dav('PUT', encodeURI(`${folder.replace(/\/$/, '')}/Notiz.txt`), { 'Content-Type': 'text/plain' }, 'x');
    expect(put.status === 403, `PUT with a read token: ${put.status}`);
  }, { independent: true });

  runner.test('committees: a poll page from a mail link; a written procedure; the calendar feed; OParl settings', async () => {
    const b = state.pages[1];
    // The poll's own address (as mails link to it) shows the published result.
    const pollId = await state.chair.evaluate(async (cid) => {
      const r = await (await fetch(`/api/v1/t/demo/committees/${cid}/polls`)).json();
      return r.polls.find((p) => p.kind === 'named').id;
    }, state.committeeId);
    await b.goto(`/t/demo/polls/${pollId}`);
    await expectHeading(b, NAMED);
    await b.getByTestId('verdict').getByText('Angenommen').waitFor();
    await art.screen(b, 'de-79-poll-page');

    // A written procedure with a deadline, created and opened by the chair.
    const c = state.chair;
    await c.goto(state.committeeURL);
    await expectHeading(c, COMMITTEE.name);
    await c.getByRole('button', { name: 'Umlaufverfahren anlegen' }).click();
    const dlg = c.getByRole('dialog', { name: 'Umlaufverfahren anlegen' });
    await dlg.getByLabel(/^Gegenstand der Abstimmung/).fill('Zustimmung zur Eilentscheidung Brückensanierung');
    const due = new Date(Date.now() + 7 * 24 * 3600 * 1000);
    const p2 = (n) => String(n).padStart(2, '0');
    await dlg.getByLabel('Frist').fill(`${due.getFullYear()}-${p2(due.getMonth() + 1)}-${p2(due.getDate())}T12:00`);
    await dlg.getByRole('button', { name: 'Als Entwurf anlegen' }).click();
    await c.getByRole('link', { name: 'Zustimmung zur Eilentscheidung Brückensanierung' }).click();
    await expectHeading(c, 'Zustimmung zur Eilentscheidung Brückensanierung');
    await c.getByText('Umlaufverfahren · Bauausschuss').waitFor();
    await c.getByRole('button', { name: /^Abstimmung öffnen/ }).click();
    await c.locator('article[data-state="open"]').waitFor();
    await b.goto(c.url());
    await expectHeading(b, 'Zustimmung zur Eilentscheidung Brückensanierung');
    await markNoReload(b);
    await b.getByRole('button', { name: 'Ja', exact: true }).click();
    await b.getByRole('button', { name: 'Stimme verbindlich abgeben' }).click();
    await b.getByText('Ihre Stimme wurde gezählt').waitFor();
    await c.waitForFunction(() => document.querySelector('[data-testid=live-count]')?.getAttribute('data-ballots') === '1', null, { timeout: 15_000 });
    await art.screen(b, 'de-80-written-procedure');

    // The calendar feed: the URL is shown once and serves the coming meetings without a cookie
    // (the feed leaves out meetings whose minutes are approved).
    const june = new Date(Date.now() + 30 * 24 * 3600 * 1000);
    const NEXT = 'Sitzung des Bauausschusses im Juni';
    await api(c, 'POST', `/api/v1/t/demo/committees/${state.committeeId}/meetings`, {
      title: NEXT,
      starts_at: june.toISOString(),
      ends_at: new Date(june.getTime() + 2 * 3600 * 1000).toISOString(),
      place: 'Rathaus, Sitzungssaal 2',
    });
    await nav(b).getByRole('link', { name: 'Profil', exact: true }).click();
    await expectHeading(b, 'Profil');
    await b.getByRole('button', { name: 'Kalender-Adresse erzeugen' }).click();
    const url = await eventually(() => b.getByLabel('Adresse des Kalenders').inputValue(), (v) => v.endsWith('.ics'), 'the feed address is shown');
    expect(url.startsWith(`${server.baseURL}/ical/`) && url.endsWith('.ics'), `feed URL: ${url}`);
    const ics = await fetch(url);
    const text = (await ics.text()).replace(/\r?\n[ \t]/g, '');
    expect(ics.ok && text.includes('BEGIN:VCALENDAR') && text.includes(NEXT), `the feed must list the coming meeting: ${ics.status} ${text.slice(0, 1500)}`);
    await art.screen(b, 'de-81-profile-calendar');
    await b.getByRole('button', { name: 'Abonnement löschen' }).click();
    await b.getByRole('dialog', { name: 'Kalender-Abonnement löschen?' }).getByRole('button', { name: 'Abonnement löschen' }).click();
    await status(b, 'Das Kalender-Abonnement wurde gelöscht.');
    expect((await fetch(url)).status === 404, 'a deleted feed stops working');

    // OParl publication in the admin console.
    const p = admin();
    await p.goto('/t/demo/admin');
    await expectHeading(p, 'Mitglieder');
    await p.getByRole('navigation', { name: 'Verwaltung', exact: true }).getByRole('link', { name: 'OParl', exact: true }).click();
    await expectHeading(p, 'Veröffentlichung über OParl');
    await p.getByLabel('Mandant über OParl veröffentlichen').check();
    await p.getByLabel(/^Website der Behörde/).fill('https://www.demo.example');
    await p.getByRole('button', { name: 'Wahlperiode hinzufügen' }).click();
    await p.getByLabel('Beginn').fill('2024-06-01');
    await p.getByRole('button', { name: 'Speichern' }).click();
    await p.getByText('Bitte eine Bezeichnung angeben.').waitFor();
    await p.getByLabel('Bezeichnung').fill('Wahlperiode 2024–2029');
    await p.getByRole('button', { name: 'Speichern' }).click();
    await status(p, 'Die Veröffentlichung wurde gespeichert.');
    await art.screen(p, 'de-82-admin-oparl');
    const sys = await fetch(`${server.baseURL}/oparl/v1.1/system`);
    expect(sys.ok, `OParl system: ${sys.status}`);
  });

  runner.test('committees: the chair cancels a meeting with a reason; members see it cancelled without reloading; the console says why', async () => {
    const c = state.chair;
    const b = state.pages[1];
    const july = new Date(Date.now() + 60 * 24 * 3600 * 1000);
    const m = await api(c, 'POST', `/api/v1/t/demo/committees/${state.committeeId}/meetings`, {
      title: JULY,
      starts_at: july.toISOString(),
      ends_at: new Date(july.getTime() + 2 * 3600 * 1000).toISOString(),
      place: 'Rathaus, Sitzungssaal 2',
    });
    await api(c, 'POST', `/api/v1/t/demo/meetings/${m.id}/transitions`, { to: 'invited' });
    for (const p of [c, b]) {
      await p.goto(`/t/demo/meetings/${m.id}`);
      await expectHeading(p, JULY);
      await p.getByTestId('meeting-state').getByText('Eingeladen').waitFor();
    }
    await markNoReload(b);
    await c.getByText('Absagen können der Vorsitz, die Schriftführung und die Verwaltung', { exact: false }).waitFor();
    await c.getByRole('button', { name: 'Sitzung absagen' }).click();
    const dlg = c.getByRole('dialog', { name: `Sitzung „${JULY}“ absagen?` });
    await dlg.getByRole('button', { name: 'Sitzung absagen' }).click();
    await dlg.getByText('Bitte einen Grund mit 1 bis 2000 Zeichen angeben.').waitFor();
    await dlg.getByLabel(/^Grund der Absage/).fill(CANCEL_REASON);
    await art.screen(c, 'de-98-meeting-cancel-dialog');
    await dlg.getByRole('button', { name: 'Sitzung absagen' }).click();
    await status(c, 'Die Sitzung ist abgesagt.');
    await c.getByTestId('meeting-state').getByText('Abgesagt').waitFor();
    await c.getByTestId('cancel-reason').getByText(`Grund: ${CANCEL_REASON}`).waitFor();
    expect((await c.getByRole('button', { name: 'Sitzung absagen' }).count()) === 0, 'a cancelled meeting is not cancelled again');
    expect((await c.getByRole('button', { name: 'Einladung versenden' }).count()) === 0 && (await c.getByRole('button', { name: 'Sitzung eröffnen' }).count()) === 0,
      'a cancelled meeting is not opened');
    await b.getByTestId('meeting-state').getByText('Abgesagt').waitFor({ timeout: 15_000 });
    await b.getByTestId('cancel-reason').getByText(`Grund: ${CANCEL_REASON}`).waitFor();
    expect(await b.evaluate(() => window.__kollabNoReload === true), 'the cancellation must arrive live');
    await art.screen(b, 'de-99-meeting-cancelled');
    // The console of a cancelled meeting says why there is nothing to chair.
    await c.goto(`/t/demo/meetings/${m.id}/console`);
    await c.getByText('Die Sitzung ist abgesagt; sie wird nicht geleitet.').waitFor();
    await c.getByText(`Grund: ${CANCEL_REASON}`).waitFor();
    await art.screen(c, 'de-99b-console-cancelled');
  });

  env.committeesCleanup = async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
  };
}
