// The document store's screens in the browser: folders, breadcrumbs, uploads with progress,
// the document page (preview, metadata with If-Match, versions, restore, check-out, legal
// hold), move, trash, permissions, search; axe on every screen, German, English and 320 px.
import { eventually, expect, texts } from './lib/harness.mjs';
import { makePdf, makePng } from './lib/files.mjs';
import { Authenticator } from './lib/totp.mjs';

const PDF = { name: 'Bauantrag Musterstraße.pdf', lines: ['Bauantrag Musterstraße 12', 'Antrag auf Fristverlängerung der Baugenehmigung'] };
const PDF2 = { name: 'Bauantrag Musterstraße (überarbeitet).pdf', lines: ['Bauantrag Musterstraße 12 – zweite Fassung', 'Fristverlängerung bis zum 30. Juni'] };
const PNG = { name: 'Lageplan.png' };
// Two staff members: a folder manager who is not an admin, and the colleague she shares with.
const MANAGER = { email: 'mara.manager@kollab.localhost', name: 'Mara Manager', password: 'Aktenschrank-Linde-2026' };
const COLLEAGUE = { email: 'konrad.kollege@kollab.localhost', name: 'Konrad Kollege', password: 'Registratur-Eiche-2026' };
const GROUP = 'Bauaufsicht';

/**
 * @param runner the test runner
 * @param env the e2e environment (server, art, …)
 * @param ctx { page: () => the signed-in admin's page, sideways: (page, what) => check }
 */
export function registerDocuments(runner, env, ctx) {
  const { art } = env;
  const state = {};
  const page = () => ctx.page();
  const expectHeading = async (p, text) => p.locator('h1', { hasText: text }).first().waitFor({ timeout: 15_000 });
  const nav = (p) => p.getByRole('navigation', { name: /^(Hauptnavigation|Main navigation)$/ });
  const docsTab = (p, name) => p.getByRole('navigation', { name: /^(Dokumente|Documents)$/ }).getByRole('link', { name, exact: true });
  const row = (p, name) => p.locator(`tr[data-name="${name}"]`);
  const status = (p, text) => p.getByText(text).first().waitFor({ timeout: 15_000 });

  runner.test('documents: the module loads as its own chunk; the admin creates folders and moves through breadcrumbs', async () => {
    const p = page();
    await p.goto('/t/demo');
    await expectHeading(p, 'Willkommen');
    await nav(p).getByRole('link', { name: 'Dokumente', exact: true }).click();
    await expectHeading(p, 'Dokumente');
    const scripts = await p.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.js')));
    expect(scripts.some((s) => /DocumentsModule-[\w-]+\.js$/.test(s)), `the documents chunk must be loaded lazily: ${scripts.join(', ')}`);
    await p.getByText('Es gibt noch keine Ordner').waitFor();
    await art.screen(p, 'de-30-docs-empty');
    await p.getByRole('button', { name: 'Neuer Ordner' }).click();
    const dialog = p.getByRole('dialog', { name: 'Neuen Ordner anlegen' });
    await dialog.waitFor();
    // Empty name: refused at the field.
    await dialog.getByRole('button', { name: 'Ordner anlegen' }).click();
    await dialog.getByText('Bitte ausfüllen.').waitFor();
    await dialog.getByLabel('Name des Ordners').fill('Bauamt');
    await art.screen(p, 'de-31-docs-new-folder');
    await dialog.getByRole('button', { name: 'Ordner anlegen' }).click();
    await status(p, 'Der Ordner „Bauamt“ wurde angelegt.');
    await p.getByRole('link', { name: 'Bauamt', exact: true }).click();
    await expectHeading(p, 'Bauamt');
    await eventually(() => p.evaluate(() => document.activeElement?.tagName), (v) => v === 'H1', 'after opening a folder, focus is on its heading');
    state.bauamtURL = new URL(p.url()).pathname;
    await p.getByRole('button', { name: 'Neuer Ordner' }).click();
    await p.getByRole('dialog', { name: 'Neuen Ordner anlegen' }).getByLabel('Name des Ordners').fill('Anträge 2026');
    await p.getByRole('dialog', { name: 'Neuen Ordner anlegen' }).getByRole('button', { name: 'Ordner anlegen' }).click();
    await status(p, 'Der Ordner „Anträge 2026“ wurde angelegt.');
    await p.getByRole('link', { name: 'Anträge 2026', exact: true }).click();
    await expectHeading(p, 'Anträge 2026');
    state.folderURL = new URL(p.url()).pathname;
    await texts(p.getByRole('navigation', { name: 'Pfad', exact: true }).getByRole('listitem'), ['Dokumente', 'Bauamt', 'Anträge 2026'], 'breadcrumbs');
    // A fresh load (no navigation memory) still has the whole trail.
    await p.reload();
    await expectHeading(p, 'Anträge 2026');
    await p.getByRole('navigation', { name: 'Pfad', exact: true }).getByRole('link', { name: 'Bauamt' }).waitFor();
  });

  runner.test('documents: two files uploaded through the file input, each with a progress bar and an overall one', async () => {
    const p = page();
    const cdp = await p.context().newCDPSession(p);
    // Slow the upload down so that the progress is visible (and photographed) mid-way.
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 32 * 1024 });
    await p.getByLabel('Dateien auswählen').setInputFiles([
      { name: PDF.name, mimeType: 'application/pdf', buffer: makePdf(PDF.lines) },
      { name: PNG.name, mimeType: 'image/png', buffer: makePng(400, 300) },
    ]);
    const overall = p.locator('progress#upload-overall');
    await overall.waitFor();
    const png = p.locator(`li[data-name="${PNG.name}"]`);
    await p.waitForFunction(
      (name) => {
        const li = document.querySelector(`li[data-name="${name}"]`);
        const v = Number(li?.querySelector('progress')?.getAttribute('value'));
        return li?.getAttribute('data-status') === 'uploading' && v > 0 && v < 100;
      },
      PNG.name,
      { timeout: 20_000 },
    );
    await png.getByRole('progressbar', { name: `Fortschritt von ${PNG.name}` }).waitFor(); // each file has a labelled progress bar
    await art.shot(p, 'de-32-docs-uploading'); // photographed first: the upload goes on meanwhile
    await art.checkA11y(p, 'de-32-docs-uploading');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await p.waitForFunction(() => [...document.querySelectorAll('li[data-status]')].every((li) => li.getAttribute('data-status') === 'done'), null, { timeout: 30_000 });
    expect((await overall.getAttribute('value')) === '100', 'overall progress ends at 100 %');
    await p.getByText('Hochladen abgeschlossen: 2 Dateien gespeichert.').waitFor({ state: 'attached' });
    await row(p, PDF.name).waitFor();
    await row(p, PNG.name).waitFor();
    // The same title again: the server refuses (409), the row says why and offers a retry.
    await p.getByLabel('Dateien auswählen').setInputFiles([{ name: PNG.name, mimeType: 'image/png', buffer: makePng(40, 30, 7) }]);
    const failed = p.locator(`li[data-name="${PNG.name}"][data-status="failed"]`);
    await failed.waitFor();
    await failed.getByRole('button', { name: /Erneut versuchen/ }).waitFor();
    await eventually(() => failed.locator('.kern-error').textContent(), (t) => t.length > 10, 'the failed upload shows the server’s reason');
    await art.screen(p, 'de-33-docs-upload-conflict');
    await p.getByRole('button', { name: 'Liste leeren' }).click();
    await cdp.detach();
  });

  runner.test('documents: the folder table sorts by size and date, and the picker moves a document', async () => {
    const p = page();
    const names = () => p.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));
    expect(JSON.stringify(await names()) === JSON.stringify([PDF.name, PNG.name]), `by name: ${await names()}`);
    await p.getByRole('button', { name: /^Größe/ }).click();
    await p.waitForFunction(() => document.querySelector('th[aria-sort="ascending"] [data-sort="size"]') !== null);
    expect((await names())[0] === PDF.name, 'the small PDF first by size');
    await p.getByRole('button', { name: /^Größe/ }).click();
    await p.waitForFunction(() => document.querySelector('th[aria-sort="descending"] [data-sort="size"]') !== null);
    expect((await names())[0] === PNG.name, 'the big PNG first by size, descending');
    expect(new URL(p.url()).searchParams.get('sort') === 'size', 'the sort is kept in the URL');
    await art.screen(p, 'de-34-docs-folder');
    await p.getByRole('button', { name: /^Name/ }).click();
    // Move the PNG one level up, to "Bauamt", and back.
    await row(p, PNG.name).getByRole('button', { name: /^Verschieben/ }).click();
    const picker = p.getByRole('dialog', { name: `„${PNG.name}“ verschieben` });
    await picker.waitFor();
    await picker.getByText('Ziel: Bauamt').waitFor();
    await art.screen(p, 'de-35-docs-move-picker');
    await picker.getByRole('button', { name: 'Hierher verschieben' }).click();
    await status(p, `„${PNG.name}“ wurde nach „Bauamt“ verschoben.`);
    await row(p, PNG.name).waitFor({ state: 'detached' });
    await p.getByRole('navigation', { name: 'Pfad', exact: true }).getByRole('link', { name: 'Bauamt' }).click();
    await expectHeading(p, 'Bauamt');
    await row(p, PNG.name).getByRole('button', { name: /^Verschieben/ }).click();
    const back = p.getByRole('dialog', { name: `„${PNG.name}“ verschieben` });
    await back.getByRole('button', { name: /^Anträge 2026/ }).click();
    await back.getByText('Ziel: Anträge 2026').waitFor();
    await back.getByRole('button', { name: 'Hierher verschieben' }).click();
    await status(p, `„${PNG.name}“ wurde nach „Anträge 2026“ verschoben.`);
  });

  runner.test('documents: the PDF’s page shows the preview, a new version goes up with progress, version 1 is restored', async () => {
    const p = page();
    await p.goto(state.folderURL);
    await row(p, PDF.name).getByRole('link', { name: PDF.name }).click();
    await expectHeading(p, PDF.name);
    state.pdfURL = new URL(p.url()).pathname;
    const frame = p.getByTestId('preview-pdf');
    await frame.waitFor();
    const src = await frame.getAttribute('src');
    expect(src.includes('disposition=inline'), `the preview asks for inline content: ${src}`);
    const head = await p.evaluate(async (u) => {
      const r = await fetch(u);
      return { status: r.status, type: r.headers.get('content-type'), disposition: r.headers.get('content-disposition') };
    }, src);
    expect(head.status === 200 && head.type === 'application/pdf' && head.disposition.startsWith('inline'), `inline PDF: ${JSON.stringify(head)}`);
    // The browser's PDF viewer renders in the frame (a refused frame shows Chromium's error page).
    await p.waitForTimeout(1500);
    state.pdfFrames = p.frames().map((f) => f.url());
    await p.getByRole('row', { name: /^1 / }).waitFor();
    await art.screen(p, 'de-36-docs-document');
    // A new version with a comment.
    const cdp = await p.context().newCDPSession(p);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 24 * 1024 });
    const bigger = Buffer.concat([makePdf(PDF2.lines), Buffer.from(`%${'x'.repeat(60 * 1024)}\n`)]);
    await p.getByLabel('Datei', { exact: true }).setInputFiles({ name: PDF2.name, mimeType: 'application/pdf', buffer: bigger });
    await p.getByLabel('Kommentar zur Version').fill('Zweite Fassung nach Rücksprache');
    await p.getByRole('button', { name: 'Neue Version hochladen' }).click();
    await p.locator('progress#revision-progress').waitFor();
    await art.shot(p, 'de-37-docs-revision-uploading');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();
    await status(p, 'Version 2 wurde hochgeladen.');
    await p.locator('tr[data-revision="2"]').getByText('Zweite Fassung nach Rücksprache').waitFor();
    // Restore version 1, with a comment.
    await p.locator('tr[data-revision="1"]').getByRole('button', { name: /Wiederherstellen/ }).click();
    const dialog = p.getByRole('dialog', { name: 'Version 1 wiederherstellen?' });
    await dialog.waitFor();
    await dialog.getByLabel('Kommentar').fill('Erste Fassung gilt wieder');
    await art.screen(p, 'de-38-docs-restore-dialog');
    await dialog.getByRole('button', { name: 'Wiederherstellen' }).click();
    await status(p, 'Version 1 wurde wiederhergestellt; sie ist jetzt die aktuelle Version 3.');
    const third = p.locator('tr[data-revision="3"]');
    await third.getByText('wiederhergestellt aus Version 1').waitFor();
    await third.getByText('aktuell').waitFor();
    await eventually(() => p.locator('tbody tr[data-revision]').count(), (n) => n === 3, 'three versions');
    // The preview follows the current version.
    await eventually(() => p.getByTestId('preview-pdf').getAttribute('src'), (now) => now !== src, 'the preview shows the restored version');
  });

  runner.test('documents: the browser shows the PDF preview in its frame (not refused)', async () => {
    const frames = state.pdfFrames ?? [];
    expect(!frames.some((u) => u.startsWith('chrome-error:')), `the PDF frame was refused: the SPA sends Cross-Origin-Embedder-Policy: require-corp, so the framed inline PDF must send it too (frames: ${frames.join(', ')})`);
    expect(frames.some((u) => u.includes('disposition=inline')), `the PDF frame did not load the content URL: ${frames.join(', ')}`);
  }, { independent: true });

  runner.test('documents: metadata saved with If-Match; a change made elsewhere meanwhile is reported (412) and reloaded', async () => {
    const p = page();
    await p.getByLabel('Aktenzeichen').fill('622.31-12/2026');
    await p.getByLabel('Schlagwörter').fill('Bauantrag, Frist');
    await p.getByRole('button', { name: 'Feld hinzufügen' }).click();
    await p.getByLabel('Feldname 1').fill('Antragsteller');
    await p.getByLabel('Wert 1').fill('Erika Mustermann');
    await p.getByRole('button', { name: 'Angaben speichern' }).click();
    await status(p, 'Die Angaben wurden gespeichert.');
    // Someone else changes the description in the meantime (same account, another tab).
    await p.evaluate(async (path) => {
      const id = path.split('/').pop();
      const tok = await (await fetch('/api/v1/auth/csrf')).json();
      const doc = await fetch(`/api/v1/t/demo/documents/${id}`);
      const etag = doc.headers.get('ETag');
      const r = await fetch(`/api/v1/t/demo/documents/${id}`, {
        method: 'PATCH',
        headers: { 'Content-Type': 'application/json', 'If-Match': etag, 'X-CSRF-Token': tok.csrf_token },
        body: JSON.stringify({ description: 'Von anderer Stelle geändert.' }),
      });
      if (!r.ok) throw new Error(`PATCH ${r.status}`);
    }, state.pdfURL);
    await p.getByLabel('Beschreibung').fill('Meine Beschreibung');
    await p.getByRole('button', { name: 'Angaben speichern' }).click();
    await p.getByText('Das Dokument wurde inzwischen geändert').first().waitFor();
    await art.screen(p, 'de-39-docs-metadata-stale');
    await p.getByRole('button', { name: 'Aktuellen Stand laden' }).first().click();
    await p.waitForFunction(() => document.querySelector('#meta-description')?.value === 'Von anderer Stelle geändert.');
    // A bad field name is refused before sending.
    await p.getByRole('button', { name: 'Feld hinzufügen' }).click();
    await p.getByLabel('Feldname 2').fill('2. Feld');
    await p.getByRole('button', { name: 'Angaben speichern' }).click();
    await p.getByText('Der Feldname muss mit einem Buchstaben beginnen').waitFor();
    await p.getByRole('button', { name: 'Feld entfernen 2' }).click();
  });

  runner.test('documents: check-out and check-in show the holder and expiry; legal hold is set and lifted', async () => {
    const p = page();
    await p.getByRole('button', { name: 'Auschecken' }).click();
    await p.getByTestId('lock-status').getByText(/Von Ihnen ausgecheckt bis/).waitFor();
    await art.screen(p, 'de-40-docs-checked-out');
    await p.getByRole('button', { name: 'Einchecken' }).click();
    await status(p, 'Das Dokument ist eingecheckt.');
    await p.getByTestId('lock-status').waitFor({ state: 'detached' }); // no check-out shown after check-in
    await p.getByRole('button', { name: 'Löschsperre setzen' }).click();
    const dialog = p.getByRole('dialog', { name: 'Löschsperre setzen' });
    await dialog.getByRole('button', { name: 'Löschsperre setzen' }).click();
    await dialog.getByText('Bitte geben Sie einen Grund an.').waitFor();
    await dialog.getByLabel('Grund').fill('Widerspruchsverfahren anhängig');
    await art.screen(p, 'de-41-docs-legal-hold-dialog');
    await dialog.getByRole('button', { name: 'Löschsperre setzen' }).click();
    await p.getByTestId('hold-status').getByText(/Widerspruchsverfahren anhängig/).waitFor();
    await p.getByRole('button', { name: 'Löschsperre aufheben' }).click();
    await p.getByRole('dialog', { name: 'Löschsperre aufheben?' }).getByRole('button', { name: 'Löschsperre aufheben' }).click();
    await status(p, 'Die Löschsperre ist aufgehoben.');
    // A copy one level up, chosen by going up in the picker's path.
    await p.getByRole('button', { name: 'Kopieren' }).click();
    const picker = p.getByRole('dialog', { name: `„${PDF.name}“ kopieren` });
    await picker.getByText('Ziel: Anträge 2026').waitFor();
    await picker.getByRole('navigation').getByRole('button', { name: 'Bauamt' }).click();
    await picker.getByText('Ziel: Bauamt').waitFor();
    await picker.getByRole('button', { name: 'Hierher kopieren' }).click();
    await status(p, 'Die Kopie in „Bauamt“ wurde angelegt.');
    await expectHeading(p, PDF.name);
    expect(new URL(p.url()).pathname !== state.pdfURL, 'the copy is a document of its own');
    await texts(p.getByRole('navigation', { name: 'Pfad', exact: true }).getByRole('listitem'), ['Dokumente', 'Bauamt', PDF.name], 'the copy lies in Bauamt');
  });

  runner.test('documents: the image’s page shows it; deleted, it is in the trash and comes back', async () => {
    const p = page();
    await p.goto(state.folderURL);
    await row(p, PNG.name).getByRole('link', { name: PNG.name }).click();
    await expectHeading(p, PNG.name);
    const img = p.getByTestId('preview-image');
    await img.waitFor();
    await p.waitForFunction(() => {
      const i = document.querySelector('[data-testid=preview-image]');
      return i && i.complete && i.naturalWidth === 400;
    });
    await art.screen(p, 'de-42-docs-image');
    await p.getByRole('button', { name: 'Löschen' }).click();
    await p.getByRole('dialog', { name: `„${PNG.name}“ in den Papierkorb verschieben?` }).getByRole('button', { name: 'In den Papierkorb' }).click();
    await expectHeading(p, 'Anträge 2026');
    await status(p, `„${PNG.name}“ liegt jetzt im Papierkorb.`);
    await docsTab(p, 'Papierkorb').click();
    await expectHeading(p, 'Papierkorb');
    await row(p, PNG.name).waitFor();
    await row(p, PNG.name).getByText('Anträge 2026').waitFor();
    await art.screen(p, 'de-43-docs-trash');
    await row(p, PNG.name).getByRole('button', { name: /^Wiederherstellen/ }).click();
    await status(p, `„${PNG.name}“ wurde wiederhergestellt.`);
    await p.getByRole('link', { name: `„${PNG.name}“ öffnen` }).click();
    await expectHeading(p, PNG.name);
    // Delete again and purge it for good (no retention set: purgeable at once).
    await p.getByRole('button', { name: 'Löschen' }).click();
    await p.getByRole('dialog', { name: `„${PNG.name}“ in den Papierkorb verschieben?` }).getByRole('button', { name: 'In den Papierkorb' }).click();
    await expectHeading(p, 'Anträge 2026');
    await docsTab(p, 'Papierkorb').click();
    await row(p, PNG.name).getByRole('button', { name: /^Endgültig löschen/ }).click();
    const dialog = p.getByRole('dialog', { name: `„${PNG.name}“ endgültig löschen?` });
    await art.screen(p, 'de-44-docs-purge-dialog');
    await dialog.getByRole('button', { name: 'Endgültig löschen' }).click();
    await status(p, `„${PNG.name}“ wurde endgültig gelöscht.`);
    await p.getByText('Der Papierkorb ist leer.').waitFor();
  });

  runner.test('documents: the permissions dialog grants a role, shows inherited entries and breaks inheritance', async () => {
    const p = page();
    await p.goto(state.bauamtURL);
    await expectHeading(p, 'Bauamt');
    await p.getByRole('button', { name: 'Berechtigungen' }).click();
    const dialog = p.getByRole('dialog', { name: 'Berechtigungen für „Bauamt“' });
    await dialog.waitFor();
    await dialog.getByLabel('Freigeben für').selectOption('role');
    await dialog.getByLabel('Rolle', { exact: true }).selectOption('staff');
    await dialog.getByLabel('Stufe').selectOption('write');
    await dialog.getByRole('button', { name: 'Freigeben' }).click();
    await dialog.getByText('Rolle Mitarbeitende hat jetzt die Stufe „Schreiben“.').waitFor();
    await dialog.locator('tr[data-principal="Rolle Mitarbeitende"]').waitFor();
    await art.screen(p, 'de-45-docs-permissions');
    await dialog.getByRole('button', { name: 'Schließen' }).click();
    await p.getByRole('link', { name: 'Anträge 2026', exact: true }).click();
    await expectHeading(p, 'Anträge 2026');
    await p.getByRole('button', { name: 'Berechtigungen' }).click();
    const sub = p.getByRole('dialog', { name: 'Berechtigungen für „Anträge 2026“' });
    await sub.getByText('geerbt von „Bauamt“').waitFor();
    await sub.getByRole('button', { name: 'Vererbung unterbrechen' }).click();
    await sub.getByText('Die Vererbung ist unterbrochen.').first().waitFor();
    await sub.getByText('dieser Ordner').first().waitFor();
    await art.screen(p, 'de-46-docs-permissions-inheritance');
    await sub.getByRole('button', { name: /^Entfernen/ }).first().click();
    await sub.getByText(/wurde entfernt/).waitFor();
    await sub.getByRole('button', { name: 'Vererbung wiederherstellen' }).click();
    await sub.getByText('geerbt von „Bauamt“').waitFor();
    await sub.getByRole('button', { name: 'Schließen' }).click();
  });

  runner.test('documents: a folder manager who is not an admin shares the folder with a named colleague and a group, and sees who holds a lock', async () => {
    const { server, browser } = env;
    const p = page();
    for (const u of [MANAGER, COLLEAGUE]) {
      server.cli(['user', 'create', '--email', u.email, '--name', u.name, '--password', u.password, '--tenant', 'demo', '--role', 'staff']);
    }
    await p.evaluate(async (name) => {
      const token = (await (await fetch('/api/v1/auth/csrf')).json()).csrf_token;
      const r = await fetch('/api/v1/t/demo/groups', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': token }, body: JSON.stringify({ name }) });
      if (!r.ok) throw new Error(`group: ${r.status}`);
    }, GROUP);
    // The admin makes Mara a manager of "Bauamt", choosing her by name in the picker.
    await p.goto(state.bauamtURL);
    await expectHeading(p, 'Bauamt');
    await p.getByRole('button', { name: 'Berechtigungen' }).click();
    const adminDialog = p.getByRole('dialog', { name: 'Berechtigungen für „Bauamt“' });
    await adminDialog.getByLabel('Freigeben für').selectOption('user');
    await adminDialog.getByRole('combobox', { name: 'Person suchen' }).fill('mara');
    await adminDialog.getByRole('option', { name: new RegExp(`^${MANAGER.name}`) }).waitFor();
    await p.keyboard.press('ArrowDown');
    await p.keyboard.press('Enter');
    await adminDialog.getByLabel('Stufe').selectOption('manage');
    await adminDialog.getByRole('button', { name: 'Freigeben' }).click();
    await adminDialog.getByText(`${MANAGER.name} hat jetzt die Stufe „Verwalten“.`).waitFor();
    await adminDialog.getByRole('button', { name: 'Schließen' }).click();
    // The admin checks the PDF out.
    await p.goto(state.pdfURL);
    await expectHeading(p, PDF.name);
    await p.getByRole('button', { name: 'Auschecken' }).click();
    await p.getByTestId('lock-status').getByText(/Von Ihnen ausgecheckt bis/).waitFor();

    // Mara signs in (the tenant requires a second factor for staff: she enrols).
    const ctx = await browser.newContext({ baseURL: server.baseURL, locale: 'de-DE', viewport: { width: 1280, height: 800 } });
    try {
      const m = await ctx.newPage();
      env.watch(m);
      await m.goto('/');
      await m.getByLabel('E-Mail-Adresse').fill(MANAGER.email);
      await m.getByLabel('Passwort').fill(MANAGER.password);
      await m.getByRole('button', { name: 'Anmelden' }).click();
      await expectHeading(m, 'Zwei-Faktor-Anmeldung einrichten');
      const auth = new Authenticator(await m.getByTestId('totp-secret').getAttribute('data-secret'));
      await m.getByLabel('Code aus der App').fill(await auth.nextCode());
      await m.getByRole('button', { name: 'Einrichtung bestätigen' }).click();
      await m.getByLabel('Ich habe die Codes sicher aufbewahrt.').check();
      await m.getByRole('button', { name: 'Weiter' }).click();
      await expectHeading(m, `Willkommen, ${MANAGER.name}`);

      // Her folder: she shares it with Konrad, found by typing part of his name.
      await m.goto(state.bauamtURL);
      await expectHeading(m, 'Bauamt');
      await m.getByRole('button', { name: 'Berechtigungen' }).click();
      const dialog = m.getByRole('dialog', { name: 'Berechtigungen für „Bauamt“' });
      await dialog.locator(`tr[data-principal="${MANAGER.name}"]`).waitFor(); // her own entry, by name
      await dialog.getByLabel('Freigeben für').selectOption('user');
      const box = dialog.getByRole('combobox', { name: 'Person suchen' });
      await box.pressSequentially('konr', { delay: 40 });
      const listbox = dialog.getByRole('listbox', { name: 'Vorschläge' });
      await listbox.getByRole('option', { name: new RegExp(`^${COLLEAGUE.name}`) }).waitFor();
      await m.keyboard.press('ArrowDown');
      const active = await box.getAttribute('aria-activedescendant');
      expect(active && (await m.locator(`#${active}`).getAttribute('aria-selected')) === 'true', 'ArrowDown marks the first suggestion as active');
      expect((await box.getAttribute('aria-expanded')) === 'true', 'the combobox says its list is open');
      await art.screen(m, 'de-49-docs-permissions-picker');
      // Escape closes the list, not the dialog; ArrowDown opens it again.
      await m.keyboard.press('Escape');
      await m.waitForFunction(() => document.querySelector('#perm-target')?.getAttribute('aria-expanded') === 'false');
      expect(await dialog.isVisible(), 'Escape in the combobox leaves the dialog open');
      await m.keyboard.press('ArrowDown');
      await listbox.getByRole('option', { name: new RegExp(`^${COLLEAGUE.name}`) }).waitFor();
      await m.keyboard.press('ArrowDown');
      await m.keyboard.press('Enter');
      await eventually(() => box.inputValue(), (v) => v === COLLEAGUE.name, 'the chosen colleague is in the field');
      await dialog.getByRole('button', { name: 'Freigeben' }).click();
      await dialog.getByText(`${COLLEAGUE.name} hat jetzt die Stufe „Lesen“.`).waitFor();
      await dialog.locator(`tr[data-principal="${COLLEAGUE.name}"]`).waitFor();
      // And with a group, found by part of its name.
      await dialog.getByLabel('Freigeben für').selectOption('group');
      await dialog.getByRole('combobox', { name: 'Gruppe suchen' }).pressSequentially('aufsicht', { delay: 40 });
      await dialog.getByRole('option', { name: GROUP }).click();
      await dialog.getByLabel('Stufe').selectOption('write');
      await dialog.getByRole('button', { name: 'Freigeben' }).click();
      await dialog.getByText(`Gruppe ${GROUP} hat jetzt die Stufe „Schreiben“.`).waitFor();
      await dialog.locator(`tr[data-principal="Gruppe ${GROUP}"]`).waitFor();
      await art.screen(m, 'de-50-docs-permissions-manager');
      await dialog.getByRole('button', { name: 'Schließen' }).click();

      // The checked-out PDF names its holder and its author.
      await m.goto(state.pdfURL);
      await expectHeading(m, PDF.name);
      await m.getByTestId('lock-status').getByText(/^Ausgecheckt von Administration bis /).waitFor();
      await m.getByText(/\(Administration\)/).first().waitFor();
      expect((await m.getByText('einem anderen Mitglied').count()) === 0, 'no "another member" for colleagues on the document page');
      await art.screen(m, 'de-51-docs-document-lock-holder');
    } finally {
      await ctx.close();
    }
    // The admin checks the PDF in again.
    await p.getByRole('button', { name: 'Einchecken' }).click();
    await status(p, 'Das Dokument ist eingecheckt.');
  });

  runner.test('documents: search finds the PDF by a word of its text, marks the hit, and narrows to a folder', async () => {
    const p = page();
    await docsTab(p, 'Suche').click();
    await expectHeading(p, 'Suche');
    await p.getByRole('button', { name: 'Suchen', exact: true }).click();
    await p.getByText('Bitte geben Sie einen Suchbegriff ein.').first().waitFor();
    // A word that is only in the PDF's text (and only as part of a compound word there).
    await p.getByLabel('Suchbegriff').fill('Baugenehmigung');
    const hits = p.getByTestId('search-hit');
    // The text is extracted in the background: search again until it is indexed.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const answered = p.waitForResponse((r) => new URL(r.url()).pathname.endsWith('/search'));
      await p.getByRole('button', { name: 'Suchen', exact: true }).click();
      await answered;
      // The answer is in: either its hits or its "no hits" line appear.
      await Promise.race([hits.first().waitFor(), p.getByText('Keine Treffer für „Baugenehmigung“.').waitFor()]);
      if ((await hits.count()) > 0 || Date.now() > deadline) break;
      await p.waitForTimeout(1000);
    }
    expect((await hits.count()) > 0, 'the search finds the PDF by a word of its extracted text');
    const hit = hits.filter({ has: p.getByRole('link', { name: 'Bauamt › Anträge 2026' }) });
    await hit.getByRole('link', { name: PDF.name }).waitFor();
    expect((await hit.locator('mark').count()) > 0, 'the snippet marks the matching words');
    await art.screen(p, 'de-47-docs-search');
    // Narrowed to "Anträge 2026" (chosen in the picker): the copy in "Bauamt" is not found.
    await p.getByRole('button', { name: 'Ordner wählen' }).click();
    const picker = p.getByRole('dialog', { name: 'Ordner für die Suche wählen' });
    await picker.getByRole('button', { name: /^Bauamt/ }).click();
    await picker.getByRole('button', { name: /^Anträge 2026/ }).click();
    await picker.getByText('Ziel: Anträge 2026').waitFor();
    await picker.getByRole('button', { name: 'Diesen Ordner durchsuchen' }).click();
    await p.getByText('Bauamt › Anträge 2026', { exact: true }).first().waitFor();
    await p.getByRole('button', { name: 'Suchen', exact: true }).click();
    await p.waitForFunction(() => new URL(location.href).searchParams.has('folder'));
    await p.waitForFunction(() => document.querySelectorAll('[data-testid=search-hit]').length === 1, null, { timeout: 10_000 });
    // A type filter that matches nothing.
    await p.getByLabel('Typ').selectOption('image/');
    await p.getByRole('button', { name: 'Suchen', exact: true }).click();
    await p.getByText('Keine Treffer für „Baugenehmigung“.').waitFor();
  });

  runner.test('documents: a folder with more entries than one page loads the rest on demand', async () => {
    const p = page();
    const folderId = await p.evaluate(async (bauamt) => {
      const parent = bauamt.split('/').pop();
      const token = (await (await fetch('/api/v1/auth/csrf')).json()).csrf_token;
      const headers = { 'Content-Type': 'application/json', 'X-CSRF-Token': token };
      const res = await fetch('/api/v1/t/demo/folders', { method: 'POST', headers, body: JSON.stringify({ parent_id: parent, name: 'Massenablage' }) });
      const f = await res.json();
      for (let i = 1; i <= 55; i++) {
        const r = await fetch(`/api/v1/t/demo/folders/${f.id}/documents`, { method: 'POST', headers, body: JSON.stringify({ title: `Vorgang ${String(i).padStart(3, '0')}` }) });
        if (!r.ok) throw new Error(`document ${i}: ${r.status}`);
      }
      return f.id;
    }, state.bauamtURL);
    await p.goto(`/t/demo/documents/f/${folderId}`);
    await expectHeading(p, 'Massenablage');
    await p.getByText('0 Ordner und 50 Dokumente geladen.').waitFor();
    await p.getByText('Die Sortierung gilt für die geladenen Einträge').waitFor();
    await p.getByRole('button', { name: 'Weitere laden' }).click();
    await p.getByText('0 Ordner und 55 Dokumente geladen.').waitFor();
    await p.getByText('5 weitere Einträge geladen.').waitFor({ state: 'attached' });
    expect((await p.getByRole('button', { name: 'Weitere laden' }).count()) === 0, 'no more pages');
    const last = await p.locator('tbody tr').last().getAttribute('data-name');
    expect(last === 'Vorgang 055', `the last entry: ${last}`);
    await art.screen(p, 'de-48-docs-load-more');
  });

  runner.test('documents: English, and 320 px wide without sideways scrolling', async () => {
    const p = page();
    await p.goto(state.pdfURL);
    await expectHeading(p, PDF.name);
    await p.getByRole('button', { name: /English/ }).click();
    await p.getByRole('heading', { name: 'Versions' }).waitFor();
    await art.screen(p, 'en-10-docs-document');
    await p.goto(state.folderURL);
    await p.getByRole('heading', { name: 'Upload files' }).waitFor();
    await art.screen(p, 'en-11-docs-folder');
    await p.getByRole('button', { name: /Deutsch/ }).click();
    await p.getByRole('heading', { name: 'Dateien hochladen' }).waitFor();
    const size = p.viewportSize();
    await p.setViewportSize({ width: 320, height: 640 });
    try {
      await art.screen(p, 'w320-20-docs-folder');
      await ctx.sideways(p, 'the folder page');
      await p.goto(state.pdfURL);
      await expectHeading(p, PDF.name);
      await p.getByRole('heading', { name: 'Versionen' }).waitFor();
      await art.screen(p, 'w320-21-docs-document');
      await ctx.sideways(p, 'the document page');
      await p.goto('/t/demo/documents/trash');
      await expectHeading(p, 'Papierkorb');
      await ctx.sideways(p, 'the trash');
      await p.goto('/t/demo/documents/search?q=Bauantrag');
      await expectHeading(p, 'Suche');
      await p.getByTestId('search-hit').first().waitFor();
      await art.screen(p, 'w320-22-docs-search');
      await ctx.sideways(p, 'the search page');
    } finally {
      await p.setViewportSize(size);
    }
  });

  env.docsState = state;
}
