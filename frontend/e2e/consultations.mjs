// Consultations (Beteiligungsverfahren) in the browser, the issue's journey: staff creates
// a workspace with a plan in its folder and invites an external engineer, naming her
// organisation in the invitation dialog; the engineer (own browser, 320 px) accepts,
// enrols TOTP and sees only that workspace. Staff prepares a consultation inviting the
// engineer's organisation (questions, deadline, the plan attached) and opens it; the
// engineer finds it on her start page, answers each question, uploads a file, saves a
// draft and submits after a confirmation: read-only, revisable until the deadline. Staff's
// bell counts the statement live; the consultation page shows who answered; the synopsis
// is filed and the statement taken into the case file; staff's cockpit and the
// workspace's activity feed show it all. Axe on every new screen.
import { eventually, expect, texts } from './lib/harness.mjs';
import { makePdf } from './lib/files.mjs';
import { acceptAsGuest } from './lib/guest.mjs';

const WS = 'Brücke Mühlbach';
const ORG = 'Ingenieurbüro Statik Nord';
const PLAN = 'Bauwerksentwurf';
const SUBJECT = 'Ersatzneubau Brücke Mühlbach';
const Q1 = 'Ist die gewählte Spannweite aus Ihrer Sicht tragfähig?';
const Q2 = 'Welche Auflagen sehen Sie für die Bauzeit?';
const GUEST = { email: 'erika.ingenieurin@statik-nord.example', name: 'Erika Ingenieurin', password: 'Bogenbruecke-Statik-2026' };

export function registerConsultations(runner, env, ctx) {
  const { art, server, browser } = env;
  const state = {};
  const staff = () => ctx.page();
  const expectHeading = async (p, text) => p.locator('h1', { hasText: text }).first().waitFor({ timeout: 15_000 });
  const status = (p, text) => p.getByText(text).first().waitFor({ timeout: 15_000 });
  const bellCount = (p) => p.getByTestId('bell').getAttribute('data-unread');
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
  // The date and time inputs of a deadline `days` ahead at 12:00.
  const ahead = (days) => {
    const d = new Date(Date.now() + days * 24 * 3600 * 1000);
    const p = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
  };

  runner.test('consultations: staff creates the workspace with a plan and invites the engineer with her organisation', async () => {
    const p = staff();
    await p.setViewportSize({ width: 1280, height: 800 });
    state.org = await api(p, 'POST', '/api/v1/t/demo/organisations', { name: ORG, kind: 'company', city: 'Nordstadt' });
    const ws = await api(p, 'POST', '/api/v1/t/demo/workspaces', { name: WS, purpose: 'Ersatzneubau mit Beteiligung der Fachplanung.', visibility: 'closed' });
    state.wsId = ws.id;
    const bytes = [...makePdf([PLAN, 'Spannweite 24 m, Stahlverbund'])];
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
      [ws.folder_id, bytes, PLAN],
    );
    await p.goto(`/t/demo/workspaces/${ws.id}`);
    await expectHeading(p, WS);
    await p.getByRole('region', { name: 'Beteiligungsverfahren' }).getByText('Noch keine Beteiligungsverfahren.').waitFor();
    await p.getByRole('button', { name: 'Gast einladen' }).click();
    const dialog = p.getByRole('dialog', { name: `Gast in „${WS}“ einladen` });
    await dialog.getByLabel('E-Mail-Adresse').fill(GUEST.email);
    await dialog.getByLabel('Rolle').selectOption('member');
    await dialog.getByRole('option', { name: ORG }).waitFor({ state: 'attached' });
    await dialog.getByLabel('Organisation').selectOption({ label: ORG });
    await dialog.getByRole('button', { name: 'Einladen' }).click();
    await status(p, `Einladung für ${GUEST.email} angelegt – E-Mail-Versand ist nicht eingerichtet, bitte Link weitergeben.`);
    state.link = await p.getByLabel('Einladungslink').inputValue();
    // The activity feed names who did what, newest first.
    const feed = p.getByRole('region', { name: 'Aktivität' });
    await feed.getByText(`hat „${PLAN}“ hochgeladen`, { exact: false }).waitFor();
    await feed.locator('time').first().waitFor();
    await art.screen(p, 'de-140-consult-workspace');
  });

  runner.test('consultations: the engineer (320 px) accepts, enrols TOTP and sees only that workspace', async () => {
    const c = await browser.newContext({ baseURL: server.baseURL, locale: 'de-DE', viewport: { width: 320, height: 720 } });
    state.guestCtx = c;
    const g = await c.newPage();
    env.watch(g);
    state.guest = g;
    await acceptAsGuest(g, state.link, GUEST);
    await texts(g.getByRole('region', { name: 'Meine Arbeitsräume' }).getByRole('listitem').getByRole('link'), [WS], 'the guest sees only the workspace she was invited into');
    await g.getByRole('region', { name: 'Ihre Stellungnahmen' }).getByText('Keine Beteiligungsverfahren, die auf Sie warten oder bald enden.').waitFor();
    await ctx.sideways(g, 'the guest start page');
    await art.screen(g, 'w320-140-consult-guest-start');
  });

  runner.test('consultations: staff prepares a consultation (questions, deadline, the organisation, the plan) and opens it', async () => {
    const p = staff();
    await p.goto(`/t/demo/workspaces/${state.wsId}`);
    await expectHeading(p, WS);
    // The guest's admission shows in the feed.
    await p.getByRole('region', { name: 'Aktivität' }).getByText(`${GUEST.name} ist als Gast beigetreten`).waitFor();
    await p.getByRole('button', { name: 'Neues Verfahren' }).click();
    const d = p.getByRole('dialog', { name: 'Neues Beteiligungsverfahren' });
    await d.getByLabel('Gegenstand').fill(SUBJECT);
    await d.getByLabel(/^Beschreibung/).fill('Bitte nehmen Sie zum Bauwerksentwurf Stellung.');
    await d.getByLabel('Frage 1', { exact: true }).fill(Q1);
    await d.getByRole('button', { name: 'Frage hinzufügen' }).click();
    await d.getByLabel('Frage 2', { exact: true }).fill(Q2);
    await d.getByRole('button', { name: 'Frage hinzufügen' }).click();
    await d.getByRole('button', { name: 'Frage 3 entfernen' }).click();
    // A deadline in the past is refused before sending.
    await d.getByLabel('Datum').fill(ahead(-1));
    await d.getByRole('button', { name: 'Verfahren anlegen' }).click();
    await d.getByText('Die Frist muss in der Zukunft liegen.').waitFor();
    await d.getByLabel('Datum').fill(ahead(7));
    await d.getByLabel('Uhrzeit').fill('12:00');
    await d.getByLabel(ORG).check();
    await d.getByLabel(PLAN).check();
    await art.screen(p, 'de-141-consult-create');
    await d.getByRole('button', { name: 'Verfahren anlegen' }).click();
    await expectHeading(p, SUBJECT);
    await status(p, `Das Verfahren „${SUBJECT}“ wurde als Entwurf angelegt.`);
    state.consId = p.url().split('/').pop();
    await p.getByRole('link', { name: PLAN }).waitFor();
    const row = p.getByTestId('invitee-row').filter({ hasText: ORG });
    await row.getByText('Ausstehend').waitFor();
    // Nothing to file yet: the buttons say why.
    expect(await p.getByRole('button', { name: 'Synopse ablegen' }).isDisabled(), 'no synopsis without a statement');
    await p.getByText('Es liegt noch keine Stellungnahme vor.').waitFor();
    await art.screen(p, 'de-142-consult-draft');
    await p.getByRole('button', { name: 'Verfahren eröffnen' }).click();
    const open = p.getByRole('dialog', { name: `„${SUBJECT}“ eröffnen?` });
    await art.screen(p, 'de-143-consult-open-confirm');
    await open.getByRole('button', { name: 'Verfahren eröffnen' }).click();
    await status(p, 'Das Verfahren ist eröffnet; die beteiligten Organisationen wurden benachrichtigt.');
    await p.getByText('Offen', { exact: true }).first().waitFor();
    state.bellBefore = Number(await bellCount(p));
  });

  runner.test('consultations: the engineer answers on her phone: each question, a file, a draft, then submits after a confirmation', async () => {
    const g = state.guest;
    await g.goto('/t/demo');
    const mine = g.getByRole('region', { name: 'Ihre Stellungnahmen' });
    await mine.getByRole('link', { name: SUBJECT }).waitFor();
    await texts(g.getByRole('region', { name: 'Meine Arbeitsräume' }).getByRole('listitem').getByRole('link'), [WS], 'still only her workspace');
    await ctx.sideways(g, 'the guest start page with a consultation');
    await art.screen(g, 'w320-140b-consult-guest-cockpit');
    await mine.getByRole('link', { name: SUBJECT }).click();
    await expectHeading(g, SUBJECT);
    // The frozen plan is there to read.
    await g.getByRole('link', { name: PLAN }).waitFor();
    await g.getByLabel(`Antwort auf Frage 1: ${Q1}`).fill('Ja, mit 24 m Spannweite und Stahlverbund.');
    await g.getByLabel(`Antwort auf Frage 2: ${Q2}`).fill('Sperrung nur nachts, Umleitung über die Mühlenstraße.');
    await g.getByLabel(/^Allgemeine Stellungnahme/).fill('Wir stimmen dem Entwurf zu.');
    await g.getByLabel('Dateien hinzufügen').setInputFiles({ name: 'Statik-Nachweis.pdf', mimeType: 'application/pdf', buffer: Buffer.from(makePdf(['Statischer Nachweis', 'Erika Ingenieurin'])) });
    await g.getByTestId('statement-files').getByText('Statik-Nachweis.pdf', { exact: true }).waitFor({ timeout: 15_000 });
    await g.getByRole('button', { name: 'Entwurf speichern' }).click();
    await status(g, /^Entwurf gespeichert/);
    await ctx.sideways(g, 'the guest’s consultation page');
    await art.screen(g, 'w320-141-consult-guest-draft');
    await g.getByRole('button', { name: 'Stellungnahme einreichen' }).click();
    const confirm = g.getByRole('dialog', { name: 'Stellungnahme einreichen?' });
    await confirm.getByText(/Bis zur Frist .* können Sie eine überarbeitete Fassung einreichen\./).waitFor();
    await art.screen(g, 'w320-142-consult-guest-confirm');
    await confirm.getByRole('button', { name: 'Stellungnahme einreichen' }).click();
    await status(g, 'Ihre Stellungnahme wurde eingereicht (Fassung 1).');
    // Read-only now; revisable until the deadline.
    await g.getByTestId('revise-hint').getByText(/überarbeiten und erneut einreichen/).waitFor();
    expect((await g.getByLabel(`Antwort auf Frage 1: ${Q1}`).count()) === 0, 'the submitted statement is read-only');
    await g.getByRole('button', { name: 'Überarbeiten' }).waitFor();
    await g.getByRole('link', { name: 'Statik-Nachweis.pdf' }).waitFor();
    await ctx.sideways(g, 'the guest’s submitted statement');
    await art.screen(g, 'w320-143-consult-guest-submitted');
  });

  runner.test('consultations: staff’s bell counts the statement live; the page shows who answered; synopsis and case file', async () => {
    const p = staff();
    await eventually(() => bellCount(p), (v) => Number(v) > state.bellBefore, 'the bell counts the statement without a reload', 15_000);
    await p.reload();
    await expectHeading(p, SUBJECT);
    const row = p.getByTestId('invitee-row').filter({ hasText: ORG });
    await row.getByText('Beantwortet').waitFor();
    await p.getByTestId('cons-answered').getByText('1 von 1 Organisation hat geantwortet.').waitFor();
    await p.getByTestId('statement').getByText('Ja, mit 24 m Spannweite und Stahlverbund.').waitFor();
    expect(await p.getByRole('button', { name: 'Ausstehende erinnern' }).isDisabled(), 'nobody left to remind');
    await p.getByText('Alle beteiligten Organisationen haben geantwortet.').waitFor();
    await art.screen(p, 'de-144-consult-answered');
    await p.getByRole('button', { name: 'Synopse ablegen' }).click();
    await status(p, 'Die Synopse wurde im Ordner des Verfahrens abgelegt.');
    await p.getByTestId('synopsis-links').getByRole('link', { name: 'Synopse (PDF)' }).waitFor();
    await p.getByRole('button', { name: 'In die Akte übernehmen' }).click();
    await status(p, '1 Fassung wurde in die Akte übernommen.');
    await art.screen(p, 'de-145-consult-filed');
    await p.getByRole('button', { name: 'Frist verlängern' }).click();
    const ext = p.getByRole('dialog', { name: `Frist von „${SUBJECT}“ verlängern` });
    await ext.getByLabel('Neues Datum').fill(ahead(10));
    await art.screen(p, 'de-146-consult-extend');
    await ext.getByRole('button', { name: 'Frist speichern' }).click();
    await status(p, /^Die Frist gilt jetzt bis /);
    await p.getByRole('button', { name: 'Stellungnahme per Post erfassen' }).click();
    const postal = p.getByRole('dialog', { name: 'Stellungnahme per Post erfassen' });
    await postal.getByLabel('Organisation').selectOption({ label: ORG });
    await art.screen(p, 'de-147-consult-postal');
    await postal.getByRole('button', { name: 'Abbrechen' }).click();
    // The cockpit shows the consultation ending soon, with its answers.
    await p.goto('/t/demo');
    const card = p.getByRole('region', { name: 'Beteiligungsverfahren' });
    await card.getByRole('link', { name: SUBJECT }).waitFor();
    await card.getByText(/1 von 1 beantwortet/).waitFor();
    await art.screen(p, 'de-148-consult-cockpit');
    await p.setViewportSize({ width: 320, height: 720 });
    await ctx.sideways(p, 'the staff cockpit');
    await p.goto(`/t/demo/consultations/${state.consId}`);
    await expectHeading(p, SUBJECT);
    await ctx.sideways(p, 'the staff consultation page');
    await art.screen(p, 'w320-144-consult-staff');
    await p.setViewportSize({ width: 1280, height: 800 });
  });

  runner.test('consultations: closed, the guest’s buttons are disabled and say why', async () => {
    const p = staff();
    await p.goto(`/t/demo/consultations/${state.consId}`);
    await expectHeading(p, SUBJECT);
    await p.getByRole('button', { name: 'Verfahren abschließen' }).click();
    await p.getByRole('dialog', { name: `„${SUBJECT}“ abschließen?` }).getByRole('button', { name: 'Verfahren abschließen' }).click();
    await status(p, 'Das Verfahren ist abgeschlossen.');
    const g = state.guest;
    await g.reload();
    await expectHeading(g, SUBJECT);
    expect(await g.getByRole('button', { name: 'Überarbeiten' }).isDisabled(), 'no revising once closed');
    await g.getByText('Das Verfahren ist abgeschlossen.').first().waitFor();
    await art.screen(g, 'w320-145-consult-guest-closed');
    await state.guestCtx.close();
  });
}
