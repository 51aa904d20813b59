import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import i18n from '../i18n';
import { OrganisationPage } from './OrganisationPage';
import { CONTACT, fakeServer, inRouter, json, ORG } from './testing';

beforeEach(async () => {
  resetCsrfToken();
  await i18n.changeLanguage('de');
});
afterEach(() => vi.unstubAllGlobals());

describe('OrganisationPage', () => {
  it('sends If-Match; a 412 is explained and the current version is loaded', async () => {
    let version = ORG.version;
    const seen = fakeServer((req) => {
      const u = new URL(req.url);
      if (u.pathname.endsWith(`/organisations/${ORG.id}`) && req.method === 'PATCH') {
        return json({ status: 412, code: 'precondition-failed', title: 'Inzwischen geändert', detail: 'Die Organisation wurde inzwischen geändert.' }, 412);
      }
      if (u.pathname.endsWith(`/organisations/${ORG.id}`)) {
        const o = { ...ORG, version, city: version > ORG.version ? 'Cottbus' : ORG.city };
        version += 1; // someone else changes it after the first read
        return json(o, 200, { ETag: `"${o.version}"` });
      }
      if (u.pathname.endsWith('/contacts')) return json({ contacts: [CONTACT] });
      return json({}, 404);
    });
    inRouter(<OrganisationPage slug="demo" id={ORG.id} />, `/t/demo/addressbook/${ORG.id}`);
    expect(await screen.findByRole('heading', { level: 1, name: ORG.name })).toBeTruthy();
    expect(screen.getByTestId('org-details').textContent).toContain('Seestraße 1, 14467 Potsdam');
    await userEvent.click(screen.getByRole('button', { name: 'Angaben bearbeiten' }));
    const dialog = await screen.findByRole('dialog');
    const city = within(dialog).getByLabelText(/^Ort/) as HTMLInputElement;
    expect(city.value).toBe('Potsdam');
    await userEvent.clear(city);
    await userEvent.type(city, 'Brandenburg');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Speichern' }));
    const stale = await screen.findByText('Inzwischen geändert');
    expect(stale.closest('[role=alert]')?.textContent).toContain('Ihre Änderung wurde nicht gespeichert');
    await vi.waitFor(() => expect(screen.getByTestId('org-details').textContent).toContain('14467 Cottbus'));
    const patch = seen.find((r) => r.method === 'PATCH')!;
    expect(patch.headers.get('If-Match')).toBe(`"${ORG.version}"`);
    expect(await patch.json()).toMatchObject({ city: 'Brandenburg', name: ORG.name });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('lists contact people and deletes one after confirmation', async () => {
    let deleted = false;
    const seen = fakeServer((req) => {
      const u = new URL(req.url);
      if (req.method === 'DELETE') {
        deleted = true;
        return new Response(null, { status: 204 });
      }
      if (u.pathname.endsWith(`/organisations/${ORG.id}`)) return json(ORG);
      if (u.pathname.endsWith('/contacts')) return json({ contacts: deleted ? [] : [CONTACT] });
      return json({}, 404);
    });
    inRouter(<OrganisationPage slug="demo" id={ORG.id} />, `/t/demo/addressbook/${ORG.id}`);
    const table = await screen.findByRole('region', { name: 'Tabelle der Ansprechpersonen' });
    expect(within(table).getByRole('rowheader').textContent).toBe('Frau Dr. Erika Muster');
    await userEvent.click(within(table).getByRole('button', { name: /^Löschen\W+Dr. Erika Muster$/ }));
    const confirm = await screen.findByRole('dialog', { name: 'Ansprechperson löschen?' });
    expect(confirm.textContent).toContain('„Dr. Erika Muster“ wird aus „Landesamt für Umwelt“ gelöscht.');
    await userEvent.click(within(confirm).getByRole('button', { name: 'Endgültig löschen' }));
    expect(await screen.findByText('„Dr. Erika Muster“ wurde gelöscht.')).toBeTruthy();
    expect(await screen.findByText('Noch keine Ansprechpersonen.')).toBeTruthy();
    const del = seen.find((r) => r.method === 'DELETE')!;
    expect(new URL(del.url).pathname).toBe(`/api/v1/t/demo/contacts/${CONTACT.id}`);
    expect(del.headers.get('If-Match')).toBe(`"${CONTACT.version}"`);
  });
});
