// The admin console's groups page and storage screen, and a folder's retention dialog:
// a short walk through each as the first admin, with axe and screenshots. Runs after the
// documents scenario (its folders, the group "Bauaufsicht" with a folder permission, and
// the staff member Mara Manager exist by then).
import { eventually, expect } from './lib/harness.mjs';

const GROUP = 'Sitzungsdienst';

/**
 * @param runner the test runner
 * @param env the e2e environment (server, art, …)
 * @param ctx { page: () => the signed-in admin's page, sideways: (page, what) => check }
 */
export function registerAdmin(runner, env, ctx) {
  const { art, server } = env;
  const page = () => ctx.page();
  const expectHeading = async (p, text) => p.locator('h1', { hasText: text }).first().waitFor({ timeout: 15_000 });
  const tab = (p, name) => p.getByRole('navigation', { name: 'Verwaltung', exact: true }).getByRole('link', { name, exact: true });
  const status = (p, text) => p.getByText(text).first().waitFor({ timeout: 15_000 });

  runner.test('admin: groups page – create, a name taken in another case refused, a member added with the picker, renamed, deleted saying which permissions go', async () => {
    const p = page();
    await p.goto('/t/demo/admin/members');
    await expectHeading(p, 'Mitglieder');
    await tab(p, 'Gruppen').click();
    await expectHeading(p, 'Gruppen');
    await p.getByRole('link', { name: 'Bauaufsicht', exact: true }).waitFor();
    await p.getByLabel('Name', { exact: true }).fill(GROUP);
    await p.getByLabel('Beschreibung (optional)').fill('Bereitet die Sitzungen des Rates vor');
    await p.getByRole('button', { name: 'Gruppe anlegen' }).click();
    await status(p, `Die Gruppe „${GROUP}“ wurde angelegt.`);
    await p.locator(`tr[data-group="${GROUP}"]`).getByText('0 Mitglieder').waitFor();
    // The same name in capitals: refused at the field, focus there.
    await p.getByLabel('Name', { exact: true }).fill(GROUP.toUpperCase());
    await p.getByRole('button', { name: 'Gruppe anlegen' }).click();
    await p.locator('#group-new-name-error', { hasText: 'Eine Gruppe mit diesem Namen existiert bereits.' }).waitFor();
    await eventually(() => p.evaluate(() => document.activeElement?.id), (id) => id === 'group-new-name', 'focus moves to the name refused');
    await art.screen(p, 'de-93-admin-groups');

    // Deleting "Bauaufsicht" would take its folder permission: the dialog says so (cancelled here).
    await p.getByRole('button', { name: /^Gruppe löschen.*Bauaufsicht/ }).click();
    const ask = p.getByRole('dialog', { name: 'Gruppe „Bauaufsicht“ löschen?' });
    await ask.getByText('1 Ordnerberechtigung, die der Gruppe erteilt wurde, wird entfernt.').waitFor();
    await art.screen(p, 'de-94-admin-group-delete-question');
    await ask.getByRole('button', { name: 'Abbrechen' }).click();
    await ask.waitFor({ state: 'hidden' });

    // The group's page: Mara joins through the people picker.
    await p.getByRole('link', { name: GROUP, exact: true }).click();
    await expectHeading(p, GROUP);
    const picker = p.getByRole('combobox', { name: 'Person' });
    await picker.fill('Mara');
    await p.getByRole('option', { name: /Mara Manager/ }).click();
    await p.getByRole('button', { name: 'Hinzufügen' }).click();
    await status(p, `Mara Manager ist jetzt Mitglied der Gruppe „${GROUP}“.`);
    await p.locator('tr[data-email="mara.manager@kollab.localhost"]').waitFor();
    await p.getByText('1 Mitglied', { exact: true }).waitFor();
    await p.getByLabel('Name', { exact: true }).fill(`${GROUP} Rat`);
    await p.getByRole('button', { name: 'Speichern' }).click();
    await status(p, `Die Gruppe heißt jetzt „${GROUP} Rat“; die Änderungen sind gespeichert.`);
    await expectHeading(p, `${GROUP} Rat`);
    await art.screen(p, 'de-95-admin-group');
    await p.setViewportSize({ width: 320, height: 800 });
    await ctx.sideways(p, 'the group page');
    await art.shot(p, 'de-96-admin-group-320');
    await p.setViewportSize({ width: 1280, height: 800 });

    await p.getByRole('button', { name: 'Gruppe löschen', exact: true }).click();
    const del = p.getByRole('dialog', { name: `Gruppe „${GROUP} Rat“ löschen?` });
    await del.getByText('Der Gruppe ist keine Ordnerberechtigung erteilt.').waitFor();
    await del.getByText(/Das Mitglied verliert den Zugriff/).waitFor();
    await del.getByRole('button', { name: 'Ja, Gruppe löschen' }).click();
    await expectHeading(p, 'Gruppen');
    await status(p, `Die Gruppe „${GROUP} Rat“ wurde gelöscht.`);
    await p.getByRole('link', { name: 'Bauaufsicht', exact: true }).waitFor();
    expect((await p.getByRole('link', { name: `${GROUP} Rat`, exact: true }).count()) === 0, 'the deleted group is gone from the list');
  });

  runner.test('admin: storage screen – the quota as a meter with its figures in words, and what happens at the limit', async () => {
    const p = page();
    server.cli(['tenant', 'quota', '--slug', 'demo', '--set', '20MiB']);
    try {
      await p.goto('/t/demo/admin/members');
      await expectHeading(p, 'Mitglieder');
      await tab(p, 'Speicher').click();
      await expectHeading(p, 'Speicher');
      const meter = p.getByLabel('Belegter Speicher');
      await meter.waitFor();
      expect((await meter.evaluate((e) => e.tagName)) === 'METER', 'the use is a <meter>');
      await eventually(
        async () => [Number(await meter.getAttribute('value')), Number(await meter.getAttribute('max'))],
        ([value, max]) => max === 20 * 1024 * 1024 && value > 0 && value < max,
        'the meter shows the use against the 20 MiB quota',
      );
      await eventually(() => p.getByTestId('storage-summary').textContent(), (s) => /von 20 MB belegt \(\d+ %\), frei: /.test(s ?? ''), 'the use in words');
      await p.getByRole('heading', { name: 'Was an der Grenze geschieht' }).waitFor();
      await p.getByText(/Ist das Kontingent erreicht, werden neue Dateien/).waitFor();
      const docs = p.locator('.app-facts div').filter({ has: p.locator('dt', { hasText: /^Dokumente$/ }) }).locator('dd');
      await eventually(() => docs.textContent(), (n) => Number(n) > 0, 'the documents are counted');
      await art.screen(p, 'de-97-admin-storage');
      await p.setViewportSize({ width: 320, height: 800 });
      await ctx.sideways(p, 'the storage screen');
      await art.shot(p, 'de-98-admin-storage-320');
      await p.setViewportSize({ width: 1280, height: 800 });
    } finally {
      server.cli(['tenant', 'quota', '--slug', 'demo', '--set', 'unlimited']);
    }
  });

  runner.test('documents: a folder’s retention – what applies and where from; the admin sets an own period', async () => {
    const p = page();
    await p.goto('/t/demo/documents');
    await expectHeading(p, 'Dokumente');
    await p.getByRole('link', { name: 'Bauamt', exact: true }).click();
    await expectHeading(p, 'Bauamt');
    await p.getByRole('button', { name: 'Aufbewahrung' }).click();
    const dialog = p.getByRole('dialog', { name: 'Aufbewahrung in „Bauamt“' });
    await dialog.getByTestId('retention-in-force').waitFor();
    await dialog.getByLabel('Eigene Frist festlegen').check();
    await dialog.getByLabel('Tage im Papierkorb').fill('3650');
    await dialog.getByRole('button', { name: 'Speichern' }).click();
    await dialog.getByText('Die Frist für diesen Ordner ist jetzt 3650 Tage.').waitFor();
    await dialog.getByText('Es gilt: 3650 Tage, festgelegt für diesen Ordner.').waitFor();
    await art.screen(p, 'de-99-docs-retention');
    // Back to what it was, so that the trash scenarios are unchanged.
    await dialog.getByLabel('Keine eigene Frist').check();
    await dialog.getByRole('button', { name: 'Speichern' }).click();
    await dialog.getByText('Der Ordner übernimmt jetzt die Frist von oben.').waitFor();
    await dialog.getByRole('button', { name: 'Schließen' }).first().click();
  });
}
