// The address book (Adressverzeichnis) in the browser: the admin (staff and administrators
// use it) finds it in the navigation, creates an organisation and adds a contact person,
// imports a small CSV whose first row duplicates that person (the preview says so, applying
// creates the rest), searches and filters the list, exports a CSV (its first line is the
// header), edits an organisation (a change made elsewhere meanwhile answers 412: explained
// and reloaded, then saved), deletes a contact after confirmation, and sees the list in
// English and at 320 px without sideways scrolling. Axe on every screen and state.
import { readFileSync } from 'node:fs';
import { eventually, expect } from './lib/harness.mjs';

const ORG = { name: 'Landesamt für Umwelt', street: 'Seestraße 1', postcode: '14467', city: 'Potsdam', email: 'poststelle@lfu.example' };
const PERSON = { salutation: 'Frau', given: 'Erika', family: 'Muster', fn: 'Referatsleitung', email: 'erika.muster@lfu.example' };
const CSV =
  '\uFEFFOrganisation;Art;Straße;PLZ;Ort;Vorname;Nachname;Funktion;E-Mail\r\n' +
  `${ORG.name};Behörde;${ORG.street};${ORG.postcode};${ORG.city};Erika;Muster;Referatsleitung;${PERSON.email}\r\n` +
  'Zweckverband Wasser Nord;Verband;Am Wehr 3;16515;Oranienburg;Hans;Quelle;Geschäftsführung;hans.quelle@zvw.example\r\n' +
  'Stadtwerke Havel;Unternehmen;Kraftwerkstraße 9;14770;Brandenburg an der Havel;Petra;Strom;Vertrieb;petra.strom@swh.example\r\n';
const EXPORT_HEADER =
  'Organisation;Art;Straße;PLZ;Ort;Land;E-Mail (Organisation);Telefon (Organisation);Website;Notizen (Organisation);Anrede;Titel;Vorname;Nachname;Funktion;E-Mail;Telefon;Notizen';

/**
 * @param runner the test runner
 * @param env the e2e environment (server, browser, art, …)
 * @param ctx { page: () => the signed-in admin's page, sideways: (page, what) => check }
 */
export function registerAddressBook(runner, env, ctx) {
  const { art } = env;
  const state = {};
  const page = () => ctx.page();
  const expectHeading = async (p, text) => p.locator('h1', { hasText: text }).first().waitFor({ timeout: 15_000 });
  const nav = (p) => p.getByRole('navigation', { name: /^(Hauptnavigation|Main navigation)$/ });
  const status = (p, text) => p.getByText(text).first().waitFor({ timeout: 15_000 });
  const orgRow = (p, name) => p.locator(`tr[data-organisation="${name}"]`);

  runner.test('address book: from the navigation, create an organisation and add a contact person', async () => {
    const p = page();
    await p.goto('/t/demo');
    await nav(p).getByRole('link', { name: 'Adressverzeichnis', exact: true }).click();
    await expectHeading(p, 'Adressverzeichnis');
    await status(p, 'Noch keine Organisationen. Legen Sie die erste an oder importieren Sie eine Datei.');
    await art.screen(p, 'de-ab-01-addressbook-empty');

    await p.getByRole('button', { name: 'Neue Organisation' }).click();
    const dialog = p.getByRole('dialog', { name: 'Neue Organisation anlegen' });
    await dialog.getByRole('button', { name: 'Organisation anlegen' }).click();
    await dialog.locator('#org-name-error').waitFor();
    await art.screen(p, 'de-ab-02-organisation-new-error');
    await dialog.getByLabel('Name', { exact: true }).fill(ORG.name);
    await dialog.getByLabel('Art').selectOption('authority');
    await dialog.getByLabel(/^Straße und Hausnummer/).fill(ORG.street);
    await dialog.getByLabel(/^Postleitzahl/).fill(ORG.postcode);
    await dialog.getByLabel(/^Ort/).fill(ORG.city);
    await dialog.getByLabel(/^E-Mail-Adresse/).fill(ORG.email);
    await dialog.getByRole('button', { name: 'Organisation anlegen' }).click();
    await expectHeading(p, ORG.name);
    await status(p, `Die Organisation „${ORG.name}“ wurde angelegt.`);
    state.orgURL = new URL(p.url()).pathname;
    await p.getByTestId('org-details').getByText(`${ORG.street}, ${ORG.postcode} ${ORG.city}`).waitFor();
    await status(p, 'Noch keine Ansprechpersonen.');

    await p.getByRole('button', { name: 'Ansprechperson hinzufügen' }).click();
    const add = p.getByRole('dialog', { name: `Ansprechperson für „${ORG.name}“` });
    await add.getByLabel(/^Anrede/).fill(PERSON.salutation);
    await add.getByLabel(/^Vorname/).fill(PERSON.given);
    await add.getByLabel(/^Nachname/).fill(PERSON.family);
    await add.getByLabel(/^Funktion/).fill(PERSON.fn);
    await add.getByLabel(/^E-Mail-Adresse/).fill(PERSON.email);
    await art.screen(p, 'de-ab-03-contact-dialog');
    await add.getByRole('button', { name: 'Hinzufügen' }).click();
    await status(p, '„Erika Muster“ wurde hinzugefügt.');
    await p.locator('tr[data-contact="Erika Muster"]').getByText(PERSON.email).waitFor();
    await art.screen(p, 'de-ab-04-organisation');
  });

  runner.test('address book: a CSV import previews one duplicate, then applies the rest', async () => {
    const p = page();
    await p.goto('/t/demo/addressbook');
    await orgRow(p, ORG.name).waitFor();
    await p.getByRole('link', { name: 'Importieren' }).click();
    await expectHeading(p, 'Adressen importieren');
    await art.screen(p, 'de-ab-05-import');
    await p.getByLabel('Datei', { exact: true }).setInputFiles({ name: 'adressen.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV, 'utf8') });
    await p.getByRole('button', { name: 'Vorschau prüfen' }).click();
    const preview = p.getByTestId('import-preview');
    await preview.getByTestId('import-counts').getByText('1 Duplikat').waitFor();
    expect((await preview.getByTestId('import-counts').textContent()) === '2 neu1 Duplikat0 ungültig', `preview counts: ${await preview.getByTestId('import-counts').textContent()}`);
    const row = (n) => preview.locator(`tr[data-row="${n}"]`);
    await row(2).getByRole('link', { name: `Erika Muster (${ORG.name})` }).waitFor();
    expect((await row(2).textContent()).includes('Duplikat von Ansprechperson'), 'row 2 is a duplicate of the contact person');
    expect((await row(3).getAttribute('data-status')) === 'created' && (await row(3).textContent()).includes('neu'), 'row 3 is new');
    expect((await row(4).getAttribute('data-status')) === 'created', 'row 4 is new');
    await art.screen(p, 'de-ab-06-import-preview');
    // The preview wrote nothing.
    const before = await p.evaluate(async () => (await (await fetch('/api/v1/t/demo/organisations')).json()).organisations.length);
    expect(before === 1, `the preview must write nothing (${before} organisations)`);

    await preview.getByRole('button', { name: 'Importieren' }).click();
    const applied = p.getByTestId('import-applied');
    await applied.getByTestId('import-counts').getByText('2 angelegt').waitFor();
    await applied.locator('tr[data-row="3"]').getByText('angelegt').waitFor();
    await art.screen(p, 'de-ab-07-import-applied');
    await applied.getByRole('link', { name: 'Zum Adressverzeichnis' }).click();
    await expectHeading(p, 'Adressverzeichnis');
    await orgRow(p, 'Zweckverband Wasser Nord').waitFor();
    await orgRow(p, 'Stadtwerke Havel').waitFor();
    await eventually(() => orgRow(p, ORG.name).locator('td').last().textContent(), (v) => v === '1', 'the duplicate added no second contact person');
  });

  runner.test('address book: search and kind filter, CSV export download', async () => {
    const p = page();
    await p.getByLabel(/^Suche/).fill('Wasser');
    await p.getByRole('button', { name: 'Filtern' }).click();
    await eventually(() => p.locator('tr[data-organisation]').evaluateAll((rows) => rows.map((r) => r.dataset.organisation)), (v) => v.length === 1 && v[0] === 'Zweckverband Wasser Nord', 'search by text');
    await p.getByLabel(/^Suche/).fill('');
    await p.getByLabel('Art', { exact: true }).selectOption('company');
    await p.getByRole('button', { name: 'Filtern' }).click();
    await eventually(() => p.locator('tr[data-organisation]').evaluateAll((rows) => rows.map((r) => r.dataset.organisation)), (v) => v.length === 1 && v[0] === 'Stadtwerke Havel', 'filter by kind');
    await p.locator('tr[data-organisation="Stadtwerke Havel"]').getByText('Unternehmen').waitFor();
    await art.screen(p, 'de-ab-08-list-filtered');
    await p.getByLabel('Art', { exact: true }).selectOption('');
    await p.getByRole('button', { name: 'Filtern' }).click();
    await eventually(() => p.locator('tr[data-organisation]').count(), (n) => n === 3, 'all three organisations');
    await art.screen(p, 'de-ab-09-list');

    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Als CSV exportieren' }).click()]);
    const text = readFileSync(await download.path(), 'utf8');
    const first = text.replace(/^\uFEFF/, '').split(/\r?\n/)[0];
    expect(first === EXPORT_HEADER, `the export's first line: ${first}`);
    expect(download.suggestedFilename().endsWith('.csv'), `file name ${download.suggestedFilename()}`);
    expect(text.includes(PERSON.email) && text.includes('hans.quelle@zvw.example'), 'the export holds the people');
    await status(p, `Die Datei „${download.suggestedFilename()}“ wurde heruntergeladen.`);
  });

  runner.test('address book: edit an organisation – a change made elsewhere answers 412, explained and reloaded; then saved', async () => {
    const p = page();
    await p.goto(state.orgURL);
    await expectHeading(p, ORG.name);
    await p.getByTestId('org-details').getByText(ORG.city, { exact: false }).waitFor();
    await p.getByRole('button', { name: 'Angaben bearbeiten' }).click();
    const dialog = p.getByRole('dialog', { name: `„${ORG.name}“ bearbeiten` });
    await dialog.getByLabel(/^Ort/).fill('Potsdam-Babelsberg');
    // Meanwhile someone else changes the phone number.
    const id = state.orgURL.split('/').pop();
    const changed = await p.evaluate(async (orgId) => {
      const token = (await (await fetch('/api/v1/auth/csrf')).json()).csrf_token;
      const cur = await fetch(`/api/v1/t/demo/organisations/${orgId}`);
      const r = await fetch(`/api/v1/t/demo/organisations/${orgId}`, {
        method: 'PATCH',
        headers: { 'X-CSRF-Token': token, 'Content-Type': 'application/json', 'If-Match': cur.headers.get('ETag') },
        body: JSON.stringify({ phone: '+49 331 1234-0' }),
      });
      return r.status;
    }, id);
    expect(changed === 200, `the change elsewhere: ${changed}`);
    await dialog.getByRole('button', { name: 'Speichern' }).click();
    await p.locator('[role=alert]', { hasText: 'Inzwischen geändert' }).waitFor();
    await p.getByTestId('org-details').getByText('+49 331 1234-0').waitFor();
    expect(await p.evaluate(() => document.activeElement?.id === 'org-stale'), 'the explanation takes focus');
    await art.screen(p, 'de-ab-10-organisation-stale');

    await p.getByRole('button', { name: 'Angaben bearbeiten' }).click();
    await dialog.getByLabel(/^Ort/).fill('Potsdam-Babelsberg');
    await dialog.getByRole('button', { name: 'Speichern' }).click();
    await status(p, 'Die Änderungen wurden gespeichert.');
    await p.getByTestId('org-details').getByText(`${ORG.street}, ${ORG.postcode} Potsdam-Babelsberg`).waitFor();
    await p.getByTestId('org-details').getByText('+49 331 1234-0').waitFor();
    await art.screen(p, 'de-ab-11-organisation-saved');
  });

  runner.test('address book: edit and delete a contact person (asked first)', async () => {
    const p = page();
    await p.goto('/t/demo/addressbook');
    await orgRow(p, 'Zweckverband Wasser Nord').getByRole('link').click();
    await expectHeading(p, 'Zweckverband Wasser Nord');
    const row = p.locator('tr[data-contact="Hans Quelle"]');
    await row.getByText('hans.quelle@zvw.example').waitFor();
    await row.getByRole('button', { name: /^Bearbeiten\W+Hans Quelle$/ }).click();
    const edit = p.getByRole('dialog', { name: '„Hans Quelle“ bearbeiten' });
    await edit.getByLabel(/^Funktion/).fill('Verbandsvorsteher');
    await edit.getByRole('button', { name: 'Speichern' }).click();
    await status(p, 'Die Angaben zu „Hans Quelle“ wurden gespeichert.');
    await row.getByText('Verbandsvorsteher').waitFor();
    await row.getByRole('button', { name: /^Löschen\W+Hans Quelle$/ }).click();
    const ask = p.getByRole('dialog', { name: 'Ansprechperson löschen?' });
    await ask.getByText('„Hans Quelle“ wird aus „Zweckverband Wasser Nord“ gelöscht.', { exact: false }).waitFor();
    await art.screen(p, 'de-ab-12-contact-delete-question');
    await ask.getByRole('button', { name: 'Endgültig löschen' }).click();
    await status(p, '„Hans Quelle“ wurde gelöscht.');
    await status(p, 'Noch keine Ansprechpersonen.');
    await art.screen(p, 'de-ab-13-contact-deleted');
  });

  runner.test('address book: English, and 320 px wide without sideways scrolling', async () => {
    const p = page();
    await p.goto('/t/demo/addressbook');
    await orgRow(p, ORG.name).waitFor();
    await p.getByRole('button', { name: /English/ }).click();
    await expectHeading(p, 'Address book');
    await orgRow(p, 'Stadtwerke Havel').getByText('Company').waitFor();
    await art.screen(p, 'en-ab-01-addressbook');
    await p.goto('/t/demo/addressbook/import');
    await expectHeading(p, 'Import addresses');
    await art.screen(p, 'en-ab-02-import');
    await p.getByRole('button', { name: /Deutsch/ }).click();
    await expectHeading(p, 'Adressen importieren');
    const size = p.viewportSize();
    await p.setViewportSize({ width: 320, height: 640 });
    try {
      await p.goto('/t/demo/addressbook');
      await expectHeading(p, 'Adressverzeichnis');
      await orgRow(p, ORG.name).waitFor();
      await art.screen(p, 'w320-ab-01-addressbook');
      await ctx.sideways(p, 'the address book list');
      await p.goto(state.orgURL);
      await expectHeading(p, ORG.name);
      await p.locator('tr[data-contact="Erika Muster"]').waitFor();
      await art.screen(p, 'w320-ab-02-organisation');
      await ctx.sideways(p, 'the organisation page');
    } finally {
      await p.setViewportSize(size);
    }
  });
}
