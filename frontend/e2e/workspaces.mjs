// Workspaces (Arbeitsräume) in the browser: the module loads as its own chunk; the admin
// creates a workspace (a refused empty form first), adds a staff member with the member
// picker, meets the server's last-owner refusal, opens the workspace's folder in the
// documents module and uploads a file there, changes the details while someone else
// changed them (412: said, reloaded), archives the workspace (read-only banner, disabled
// controls with their reason) and restores it. A staff member (her own browser, 320 px)
// sees the list without sideways scrolling, the workspace with the controls she may not
// use disabled and explained, and the directory of open workspaces (then in English).
// Axe on every screen.
import { eventually, expect } from './lib/harness.mjs';
import { makePdf } from './lib/files.mjs';
import { Authenticator } from './lib/totp.mjs';

const WS = {
  name: 'Radweg Nordstadt',
  purpose: 'Planung des Radwegs entlang der Nordstraße mit dem Ingenieurbüro.',
  fileNumber: '66-2026/0815',
  startsOn: '2026-03-01',
  endsOn: '2026-12-31',
};
const OPEN_WS = 'Lärmaktionsplan 2026';
const WILMA = { email: 'wilma.werk@kollab.localhost', name: 'Wilma Werk', password: 'Radweg-Nordstadt-2026' };
const FILE = { name: 'Trassenvarianten.pdf', lines: ['Trassenvarianten Radweg Nordstadt', 'Variante A: Nordstraße', 'Variante B: Bahndamm'] };
const LAST_OWNER = 'Ein Arbeitsraum braucht mindestens eine Eigentümerin oder einen Eigentümer.';

/**
 * @param runner the test runner
 * @param env the e2e environment (server, browser, art, …)
 * @param ctx { page: () => the signed-in admin's page, sideways: (page, what) => check }
 */
export function registerWorkspaces(runner, env, ctx) {
  const { art, server, browser } = env;
  const state = {};
  const admin = () => ctx.page();
  const expectHeading = async (p, text) => p.locator('h1', { hasText: text }).first().waitFor({ timeout: 15_000 });
  const nav = (p) => p.getByRole('navigation', { name: /^(Hauptnavigation|Main navigation)$/ });
  const status = (p, text) => p.getByText(text).first().waitFor({ timeout: 15_000 });
  const memberRow = (p, name) => p.locator(`tr[data-member^="${name}"]`).first();
  const api = (p, method, path, body, headers = {}) =>
    p.evaluate(
      async ([m, u, b, h]) => {
        const token = (await (await fetch('/api/v1/auth/csrf')).json()).csrf_token;
        const all = { 'X-CSRF-Token': token, Accept: 'application/json', ...h };
        if (b !== undefined) all['Content-Type'] = 'application/json';
        const r = await fetch(u, { method: m, headers: all, body: b === undefined ? undefined : JSON.stringify(b) });
        const text = await r.text();
        if (!r.ok) throw new Error(`${m} ${u}: ${r.status} ${text}`);
        return text ? JSON.parse(text) : null;
      },
      [method, path, body, headers],
    );

  runner.test('workspaces: the module loads as its own chunk; the admin creates a workspace (an empty form refused first)', async () => {
    const p = admin();
    server.cli(['user', 'create', '--email', WILMA.email, '--name', WILMA.name, '--password', WILMA.password, '--tenant', 'demo', '--role', 'staff']);
    await p.setViewportSize({ width: 1280, height: 800 });
    await p.goto('/t/demo');
    await expectHeading(p, 'Willkommen');
    await nav(p).getByRole('link', { name: 'Arbeitsräume', exact: true }).click();
    await expectHeading(p, 'Arbeitsräume');
    const scripts = await p.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.js')));
    expect(scripts.some((s) => /WorkspacesModule-[\w-]+\.js$/.test(s)), `the workspaces chunk must be loaded lazily: ${scripts.join(', ')}`);
    await p.getByText('Sie gehören noch keinem Arbeitsraum an.').waitFor();
    await art.screen(p, 'de-110-workspaces-empty');
    await p.getByRole('button', { name: 'Neuer Arbeitsraum' }).click();
    const dialog = p.getByRole('dialog', { name: 'Neuen Arbeitsraum anlegen' });
    await dialog.getByRole('button', { name: 'Arbeitsraum anlegen' }).click();
    await dialog.getByText('Bitte ausfüllen.').waitFor();
    await dialog.getByLabel('Name des Arbeitsraums').fill(WS.name);
    await dialog.getByLabel(/^Zweck/).fill(WS.purpose);
    await dialog.getByLabel(/^Aktenzeichen/).fill(WS.fileNumber);
    await dialog.getByLabel(/^Beginn/).fill(WS.endsOn);
    await dialog.getByLabel(/^Ende/).fill(WS.startsOn);
    await dialog.getByRole('button', { name: 'Arbeitsraum anlegen' }).click();
    await dialog.getByText('Das Ende darf nicht vor dem Beginn liegen.').waitFor();
    await dialog.getByLabel(/^Beginn/).fill(WS.startsOn);
    await dialog.getByLabel(/^Ende/).fill(WS.endsOn);
    await dialog.getByLabel('Sichtbarkeit').selectOption('closed');
    await art.screen(p, 'de-111-workspace-new');
    await dialog.getByRole('button', { name: 'Arbeitsraum anlegen' }).click();
    await expectHeading(p, WS.name);
    await status(p, `Der Arbeitsraum „${WS.name}“ wurde angelegt.`);
    state.url = new URL(p.url()).pathname;
    state.id = state.url.split('/').pop();
    await p.getByText(WS.fileNumber).waitFor();
    await p.getByText('01.03.2026 – 31.12.2026').waitFor();
    await p.locator('tr[data-member]').filter({ hasText: '(Sie)' }).first().waitFor();
    expect((await p.locator('tr[data-member]').count()) === 1, 'the creator is the only member');
    await art.screen(p, 'de-112-workspace-page');
    // The start page is the cockpit: the new workspace is among "Meine Arbeitsräume".
    await p.goto('/t/demo');
    await expectHeading(p, 'Willkommen');
    await p.getByRole('region', { name: 'Meine Arbeitsräume' }).getByRole('link', { name: WS.name }).waitFor();
    await art.screen(p, 'de-113-start-cockpit');
    await p.getByRole('region', { name: 'Meine Arbeitsräume' }).getByRole('link', { name: WS.name }).click();
    await expectHeading(p, WS.name);
  });

  runner.test('workspaces: a staff member is added with the member picker; the last owner cannot step down (the server’s words)', async () => {
    const p = admin();
    await p.getByRole('button', { name: 'Mitglied aufnehmen' }).click();
    const dialog = p.getByRole('dialog', { name: 'Mitglied aufnehmen' });
    await dialog.getByRole('combobox', { name: 'Person' }).pressSequentially('wilm', { delay: 40 });
    await dialog.getByRole('option', { name: new RegExp(`^${WILMA.name}`) }).waitFor();
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('Enter');
    await dialog.getByLabel('Rolle').selectOption('member');
    await art.screen(p, 'de-113-workspace-add-member');
    await dialog.getByRole('button', { name: 'Aufnehmen' }).click();
    await status(p, `${WILMA.name} ist jetzt Mitglied.`);
    await memberRow(p, WILMA.name).waitFor();
    await p.getByRole('heading', { name: 'Mitglieder (2)' }).waitFor();
    // The admin is the only owner: stepping down is refused with the server's message.
    const me = p.locator('tr[data-member]').filter({ hasText: '(Sie)' }).first();
    await me.getByRole('button', { name: /^Rolle ändern/ }).click();
    const roleDialog = p.getByRole('dialog', { name: /^Rolle von/ });
    await roleDialog.getByLabel('Rolle').selectOption('reader');
    await roleDialog.getByRole('button', { name: 'Speichern' }).click();
    await roleDialog.locator('[role=alert]', { hasText: LAST_OWNER }).waitFor();
    await art.screen(p, 'de-114-workspace-last-owner');
    await roleDialog.getByRole('button', { name: 'Abbrechen' }).click();
    expect((await me.getByRole('cell').nth(1).textContent()) === 'Eigentümer/in', 'the role stays owner');
  });

  runner.test('workspaces: the workspace’s folder opens in the documents module and takes an upload', async () => {
    const p = admin();
    await p.getByTestId('ws-folder').click();
    await expectHeading(p, WS.name);
    await p.getByRole('navigation', { name: 'Pfad', exact: true }).getByRole('link', { name: 'Dokumente' }).waitFor();
    await p.getByLabel('Dateien auswählen').setInputFiles([{ name: FILE.name, mimeType: 'application/pdf', buffer: makePdf(FILE.lines) }]);
    await p.locator(`tr[data-name="${FILE.name}"]`).waitFor({ timeout: 30_000 });
    await art.screen(p, 'de-115-workspace-folder');
    await p.goBack();
    await expectHeading(p, WS.name);
    await p.getByRole('heading', { name: 'Angaben' }).waitFor();
  });

  runner.test('workspaces: a change of the details meets a change made elsewhere (412): said, reloaded, nothing overwritten', async () => {
    const p = admin();
    await p.getByRole('button', { name: 'Angaben ändern' }).click();
    const dialog = p.getByRole('dialog', { name: `„${WS.name}“ ändern` });
    await dialog.getByLabel(/^Zweck/).fill('Von mir geändert.');
    // Meanwhile someone else changes the purpose.
    const cur = await api(p, 'GET', `/api/v1/t/demo/workspaces/${state.id}`);
    await api(p, 'PATCH', `/api/v1/t/demo/workspaces/${state.id}`, { purpose: 'Anderswo geändert: mit Bürgerbeteiligung.' }, { 'If-Match': `"${cur.version}"` });
    await dialog.getByRole('button', { name: 'Speichern' }).click();
    await p.locator('[role=alert]', { hasText: 'Jemand anderes hat den Arbeitsraum inzwischen geändert' }).waitFor();
    await p.getByText('Anderswo geändert: mit Bürgerbeteiligung.').waitFor();
    expect((await p.getByText('Von mir geändert.').count()) === 0, 'the stale change was not saved');
    await art.screen(p, 'de-116-workspace-stale');
    // Now it saves.
    await p.getByRole('button', { name: 'Angaben ändern' }).click();
    await dialog.getByLabel('Sichtbarkeit').selectOption('open');
    await dialog.getByRole('button', { name: 'Speichern' }).click();
    await status(p, 'Die Angaben wurden gespeichert.');
    await p.getByText('Offen (im Verzeichnis, Beitritt möglich)').first().waitFor();
  });

  runner.test('workspaces: archived after a confirmation (read-only banner, controls disabled with their reason), then restored', async () => {
    const p = admin();
    await p.getByRole('button', { name: 'Archivieren' }).click();
    const confirm = p.getByRole('dialog', { name: `„${WS.name}“ archivieren?` });
    await confirm.getByText(/nur lesbar/).waitFor();
    await art.screen(p, 'de-117-workspace-archive-confirm');
    await confirm.getByRole('button', { name: 'Archivieren' }).click();
    await status(p, `Der Arbeitsraum „${WS.name}“ wurde archiviert.`);
    await p.getByText('Archiviert – nur lesbar').waitFor();
    const edit = p.getByRole('button', { name: 'Angaben ändern' });
    expect(await edit.isDisabled(), 'editing an archived workspace is disabled');
    const reason = await edit.getAttribute('aria-describedby');
    expect(/archiviert und nur lesbar/.test(await p.locator(`[id="${reason}"]`).textContent()), 'the disabled button names its visible reason');
    expect(await p.getByRole('button', { name: 'Mitglied aufnehmen' }).isDisabled(), 'adding members is disabled');
    await art.screen(p, 'de-118-workspace-archived');
    // The list shows it under "archived".
    await p.goto('/t/demo/workspaces?state=archived');
    await p.locator(`li[data-workspace="${WS.name}"]`).getByText('Archiviert').waitFor();
    await p.getByRole('link', { name: WS.name }).click();
    await expectHeading(p, WS.name);
    await p.getByRole('button', { name: 'Wiederherstellen' }).click();
    const restore = p.getByRole('dialog', { name: `„${WS.name}“ wiederherstellen?` });
    await restore.getByRole('button', { name: 'Wiederherstellen' }).click();
    await status(p, `Der Arbeitsraum „${WS.name}“ ist wieder aktiv.`);
    await eventually(() => p.getByText('Archiviert – nur lesbar').count(), (n) => n === 0, 'the banner goes with the restore');
    expect(!(await p.getByRole('button', { name: 'Angaben ändern' }).isDisabled()), 'editing works again');
    await art.screen(p, 'de-119-workspace-restored');
  });

  runner.test('workspaces: a staff member at 320 px – her list without sideways scrolling, controls she may not use explained, the directory to join from', async () => {
    const p = admin();
    // A second, open workspace Wilma does not belong to, for the directory.
    await api(p, 'POST', '/api/v1/t/demo/workspaces', { name: OPEN_WS, purpose: 'Gemeinsamer Entwurf des Lärmaktionsplans.', visibility: 'open' });
    const c = await browser.newContext({ baseURL: server.baseURL, locale: 'de-DE', viewport: { width: 320, height: 720 } });
    try {
      const w = await c.newPage();
      env.watch(w);
      await w.goto('/');
      await w.getByLabel('E-Mail-Adresse').fill(WILMA.email);
      await w.getByLabel('Passwort').fill(WILMA.password);
      await w.getByRole('button', { name: 'Anmelden' }).click();
      await expectHeading(w, 'Zwei-Faktor-Anmeldung einrichten');
      const auth = new Authenticator(await w.getByTestId('totp-secret').getAttribute('data-secret'));
      await w.getByLabel('Code aus der App').fill(await auth.nextCode());
      await w.getByRole('button', { name: 'Einrichtung bestätigen' }).click();
      await w.getByLabel('Ich habe die Codes sicher aufbewahrt.').check();
      await w.getByRole('button', { name: 'Weiter' }).click();
      await expectHeading(w, `Willkommen, ${WILMA.name}`);
      // Her start page (the cockpit) at 320 px: the workspace she was added to.
      await w.getByRole('region', { name: 'Meine Arbeitsräume' }).getByRole('link', { name: WS.name }).waitFor();
      await ctx.sideways(w, 'the start page cockpit');
      await art.screen(w, 'w320-109-start-cockpit');
      await w.goto('/t/demo/workspaces');
      await expectHeading(w, 'Arbeitsräume');
      const card = w.locator(`li[data-workspace="${WS.name}"]`);
      await card.getByText('Mitglied', { exact: true }).waitFor();
      await ctx.sideways(w, 'the workspace list');
      await art.screen(w, 'w320-110-workspaces-list');
      // "All" is for administrators: shown, disabled, and said.
      await w.getByText('„Alle Arbeitsräume“ können nur Administratorinnen und Administratoren wählen.').waitFor();
      expect(await w.locator('#workspaces-scope option[value=all]').isDisabled(), 'staff cannot choose all workspaces');
      await card.getByRole('link', { name: WS.name }).click();
      await expectHeading(w, WS.name);
      await memberRow(w, WILMA.name).waitFor();
      const edit = w.getByRole('button', { name: 'Angaben ändern' });
      expect(await edit.isDisabled(), 'a member cannot edit');
      await w.getByTestId('reasons-details').getByText(/^Nur Eigentümerinnen und Eigentümer/).waitFor();
      await w.getByTestId('reasons-members').getByText(/^Nur Eigentümerinnen und Eigentümer/).waitFor();
      await w.getByTestId('ws-folder').waitFor();
      await ctx.sideways(w, 'the workspace page');
      await art.screen(w, 'w320-111-workspace-member-view');
      // The directory: the open workspace, joined with one button.
      await w.goto('/t/demo/workspaces?scope=directory');
      const open = w.locator(`li[data-workspace="${OPEN_WS}"]`);
      await open.getByText('Kein Mitglied').waitFor();
      await ctx.sideways(w, 'the directory');
      await art.screen(w, 'w320-112-workspaces-directory');
      await open.getByRole('button', { name: /^Beitreten/ }).click();
      await status(w, `Sie sind dem Arbeitsraum „${OPEN_WS}“ beigetreten.`);
      await open.getByText('Mitglied', { exact: true }).waitFor();
      // English is one click away.
      await w.getByRole('button', { name: /English/ }).click();
      await expectHeading(w, 'Workspaces');
      await open.getByText('Member', { exact: true }).waitFor();
      await w.getByRole('heading', { name: 'Open workspaces (directory)' }).waitFor();
      await ctx.sideways(w, 'the directory in English');
      await art.screen(w, 'en-110-workspaces-directory');
    } finally {
      await c.close();
    }
  });
}
