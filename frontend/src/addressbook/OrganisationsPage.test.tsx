import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import i18n from '../i18n';
import { OrganisationsPage } from './OrganisationsPage';
import { fakeServer, inRouter, json, ORG } from './testing';

beforeEach(async () => {
  resetCsrfToken();
  await i18n.changeLanguage('de');
});
afterEach(() => vi.unstubAllGlobals());

describe('OrganisationsPage', () => {
  it('lists organisations, searches by text and kind, and pages with the cursor', async () => {
    const seen = fakeServer((req) => {
      const u = new URL(req.url);
      if (u.searchParams.get('cursor')) return json({ organisations: [{ ...ORG, id: 'o2', name: 'Zweckverband Wasser', kind: 'association' }] });
      return json({ organisations: [ORG], next_cursor: ORG.id });
    });
    inRouter(<OrganisationsPage slug="demo" />);
    const table = await screen.findByRole('region', { name: 'Organisationen, Seite 1' });
    expect(within(table).getByRole('link', { name: ORG.name }).getAttribute('href')).toBe(`/t/demo/addressbook/${ORG.id}`);
    expect(within(table).getByText('Behörde')).toBeTruthy();
    expect(within(table).getByText('Seestraße 1, 14467 Potsdam')).toBeTruthy();

    await userEvent.type(screen.getByLabelText('Suche'), ' Potsdam ');
    await userEvent.selectOptions(screen.getByLabelText('Art'), 'authority');
    await userEvent.click(screen.getByRole('button', { name: 'Filtern' }));
    await vi.waitFor(() => expect(seen.map((r) => new URL(r.url).search)).toContain('?q=Potsdam&kind=authority&limit=25'));

    await userEvent.click(screen.getByRole('button', { name: /Nächste Seite/ }));
    expect(await screen.findByRole('link', { name: 'Zweckverband Wasser' })).toBeTruthy();
    expect(new URL(seen[seen.length - 1].url).searchParams.get('cursor')).toBe(ORG.id);
  });

  it('shows the server’s reason when the role may not use the address book (403)', async () => {
    fakeServer(() =>
      json({ status: 403, code: 'forbidden', title: 'Keine Berechtigung', detail: 'Das Adressverzeichnis steht nur Mitarbeitenden und der Administration zur Verfügung.' }, 403),
    );
    inRouter(<OrganisationsPage slug="demo" />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Das Adressverzeichnis steht nur Mitarbeitenden und der Administration zur Verfügung.');
    expect(screen.queryByRole('button', { name: 'Neue Organisation' })).toBeNull();
  });

  it('creates an organisation after checking the name, and puts a server problem at its field', async () => {
    let posted: unknown;
    fakeServer(async (req) => {
      if (req.method === 'POST') {
        posted = await req.json();
        if ((posted as { postcode?: string }).postcode === 'x')
          return json({ status: 422, code: 'invalid-input', title: 'Ungültige Eingabe', detail: 'Die Postleitzahl ist ungültig.', field: 'postcode' }, 422);
        return json({ ...ORG, id: 'new' }, 201);
      }
      return json({ organisations: [] });
    });
    inRouter(<OrganisationsPage slug="demo" />);
    await screen.findByText(/Noch keine Organisationen/);
    await userEvent.click(screen.getByRole('button', { name: 'Neue Organisation' }));
    const dialog = await screen.findByRole('dialog', { name: 'Neue Organisation anlegen' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Organisation anlegen' }));
    expect(await within(dialog).findByText('Bitte ausfüllen.')).toBeTruthy();
    await userEvent.type(within(dialog).getByLabelText('Name'), 'Landesamt');
    await userEvent.type(within(dialog).getByLabelText(/Postleitzahl/), 'x');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Organisation anlegen' }));
    await vi.waitFor(() => expect(within(dialog).getByLabelText(/Postleitzahl/).getAttribute('aria-invalid')).toBe('true'));
    expect(posted).toMatchObject({ name: 'Landesamt', kind: 'authority', postcode: 'x' });
  });
});
