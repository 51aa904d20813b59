import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import i18n from '../i18n';
import { ImportPage } from './ImportPage';
import { CONTACT, fakeServer, inRouter, json, ORG } from './testing';

beforeEach(async () => {
  resetCsrfToken();
  await i18n.changeLanguage('de');
});
afterEach(() => vi.unstubAllGlobals());

const CSV = 'Organisation;PLZ;Vorname;Nachname;E-Mail\nLandesamt;14467;Erika;Muster;erika.muster@lfu.example\n';
const file = () => new File([CSV], 'adressen.csv', { type: 'text/csv' });

const report = (applied: boolean) => ({
  applied,
  created: 1,
  duplicates: 2,
  invalid: 1,
  rows: [
    { row: 2, status: 'duplicate', duplicate_of: CONTACT.id, duplicate_kind: 'contact', organisation_id: ORG.id },
    { row: 3, status: 'created', organisation_created: true },
    { row: 4, status: 'invalid', field: 'postcode', reason: 'Die Postleitzahl ist ungültig.', reason_id: 'contacts.postcode' },
    { row: 5, status: 'duplicate', duplicate_kind: 'organisation' },
  ],
});

describe('ImportPage', () => {
  it('previews a file (per-row results and counts), then applies it', async () => {
    const bodies: string[] = [];
    const seen = fakeServer(async (req) => {
      const u = new URL(req.url);
      if (u.pathname.endsWith('/organisations/import')) {
        bodies.push(await req.text());
        expect(req.headers.get('Content-Type')).toBe('text/csv');
        return json(report(u.searchParams.get('mode') === 'apply'));
      }
      if (u.pathname.endsWith(`/contacts/${CONTACT.id}`)) return json(CONTACT);
      return json({}, 404);
    });
    inRouter(<ImportPage slug="demo" />, '/t/demo/addressbook/import');
    // Without a file: the message at the field.
    await userEvent.click(screen.getByRole('button', { name: 'Vorschau prüfen' }));
    expect(await screen.findByText('Bitte wählen Sie eine Datei aus.')).toBeTruthy();

    await userEvent.upload(screen.getByLabelText('Datei'), file());
    await userEvent.click(screen.getByRole('button', { name: 'Vorschau prüfen' }));
    const preview = await screen.findByTestId('import-preview');
    expect(within(preview).getByTestId('import-counts').textContent).toBe('1 neu2 Duplikate1 ungültig');
    const table = within(preview).getByRole('region', { name: 'Ergebnis je Zeile' });
    await vi.waitFor(() => expect(within(table).getByRole('link', { name: 'Dr. Erika Muster (Landesamt für Umwelt)' }).getAttribute('href')).toBe(`/t/demo/addressbook/${ORG.id}`));
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.textContent)).toEqual([
      '2Duplikat von Ansprechperson Dr. Erika Muster (Landesamt für Umwelt)',
      '3neu',
      '4ungültig Feld postcode: Die Postleitzahl ist ungültig.',
      '5Duplikat einer früheren Zeile der Datei',
    ].map((s) => expect.stringMatching(new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s*')}$`))));
    expect(seen.some((r) => new URL(r.url).search === '?format=csv&mode=preview')).toBe(true);

    await userEvent.click(within(preview).getByRole('button', { name: 'Importieren' }));
    const applied = await screen.findByTestId('import-applied');
    expect(within(applied).getByTestId('import-counts').textContent).toBe('1 angelegt2 Duplikate1 ungültig');
    // The file itself is the body (jsdom's fetch cannot read a jsdom File, so only its presence is checked).
    expect(bodies.length).toBe(2);
    expect(bodies.every((b) => b.length > 0)).toBe(true);
    expect(seen.some((r) => new URL(r.url).search === '?format=csv&mode=apply')).toBe(true);
  });

  it('takes .vcf files as vCard and shows the server’s German message for a file too large (413)', async () => {
    const seen = fakeServer(() => json({ status: 413, code: 'too-large', title: 'Zu groß', detail: 'Die Datei ist zu groß: höchstens 5 MiB auf einmal.' }, 413));
    inRouter(<ImportPage slug="demo" />, '/t/demo/addressbook/import');
    await userEvent.upload(screen.getByLabelText('Datei'), new File(['BEGIN:VCARD\n'], 'kontakte.vcf', { type: 'text/vcard' }));
    expect((screen.getByLabelText('vCard') as HTMLInputElement).checked).toBe(true);
    await userEvent.click(screen.getByRole('button', { name: 'Vorschau prüfen' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Die Datei ist zu groß: höchstens 5 MiB auf einmal.');
    expect(new URL(seen[0].url).searchParams.get('format')).toBe('vcard');
    expect(seen[0].headers.get('Content-Type')).toBe('text/vcard');
    expect(screen.queryByTestId('import-preview')).toBeNull();
  });
});
