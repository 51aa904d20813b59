import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import { SEARCH_DELAY_MS } from '../documents/PrincipalPicker';
import i18n from '../i18n';
import { GuestPage } from './GuestPage';
import { docs, fakeServer, guest, inModule, json, ORG, ORG2, SPONSOR2 } from './testing';

const G = guest({ reminded_at: '2026-12-01T06:00:00Z' });
const ID = G.membership_id;

function server(found = true) {
  return fakeServer((req, body) => {
    const url = new URL(req.url);
    if (url.pathname === `/api/v1/t/demo/guests/${ID}` && req.method === 'GET') {
      return found ? json(G) : json({ status: 404, code: 'not-found', title: 'Nicht gefunden', detail: 'Diesen Gast gibt es nicht.' }, 404);
    }
    if (url.pathname === `/api/v1/t/demo/guests/${ID}` && req.method === 'PATCH') {
      const b = body as { sponsor_id?: string; organisation_id?: string };
      return json({ ...G, sponsor_id: b.sponsor_id ?? G.sponsor_id, sponsor_name: b.sponsor_id ? 'Paul Planer' : G.sponsor_name, organisation_id: b.organisation_id ?? G.organisation_id, organisation_name: b.organisation_id ? 'Ingenieurbüro Süd' : G.organisation_name, version: 3 });
    }
    if (url.pathname.endsWith('/renew')) return json({ ...G, state: 'active', expires_on: '2027-06-05' });
    if (url.pathname === '/api/v1/t/demo/organisations') return json({ organisations: [{ id: ORG, name: 'Planungsbüro Nord' }, { id: ORG2, name: 'Ingenieurbüro Süd' }] });
    return json({ status: 404, code: 'not-found', title: 'Nicht gefunden' }, 404);
  });
}

beforeEach(async () => {
  resetCsrfToken();
  await i18n.changeLanguage('de');
});
afterEach(() => vi.unstubAllGlobals());

describe('a guest’s page', () => {
  it('shows who, from where, sponsored by whom, until when and in which workspaces; renews in one click', async () => {
    const seen = server();
    const user = userEvent.setup();
    inModule(<GuestPage guestId={ID} />, docs(), `/t/demo/guests/${ID}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Gerda Gast' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Meine Gäste' }).getAttribute('href')).toBe('/t/demo/guests');
    const details = screen.getByRole('region', { name: 'Angaben' });
    for (const text of ['gerda@planungsbuero.example', 'Planungsbüro Nord', 'Sabine Sachbearbeiterin', '01.03.2027', 'eingerichtet', 'Erinnert am']) expect(details.textContent).toContain(text);
    expect(within(screen.getByTestId('guest-workspaces')).getByRole('link', { name: 'Radweg Nord' }).getAttribute('href')).toBe('/t/demo/workspaces/w1');
    await user.click(screen.getByRole('button', { name: /^Um 180 Tage verlängern\W+Gerda Gast$/ }));
    expect(await screen.findByText('Der Zugang von Gerda Gast gilt jetzt bis 05.06.2027.')).toBeTruthy();
    expect(seen.map((s) => s.call)).toContain(`POST /api/v1/t/demo/guests/${ID}/renew`);
  });

  it('changes sponsor and organisation, sending only what changed', async () => {
    const seen = server();
    const user = userEvent.setup();
    inModule(<GuestPage guestId={ID} />, docs({ role: 'admin', isAdmin: true }), `/t/demo/guests/${ID}`);
    expect(await screen.findByRole('link', { name: 'Zugangsprüfung' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Sponsor oder Organisation ändern' }));
    const dialog = await screen.findByRole('dialog', { name: 'Sponsor oder Organisation von Gerda Gast ändern' });
    // Nothing changed: said, nothing sent.
    await user.click(within(dialog).getByRole('button', { name: 'Speichern' }));
    expect(await within(dialog).findByText('Bitte einen neuen Sponsor auswählen oder eine andere Organisation wählen.')).toBeTruthy();
    await within(dialog).findByRole('option', { name: 'Ingenieurbüro Süd' });
    await user.selectOptions(within(dialog).getByLabelText('Organisation'), ORG2);
    await user.type(within(dialog).getByLabelText(/^Neuer Sponsor/), 'Paul');
    await new Promise((r) => setTimeout(r, SEARCH_DELAY_MS + 50));
    await user.click(await within(dialog).findByRole('option', { name: /Paul Planer/ }));
    await user.click(within(dialog).getByRole('button', { name: 'Speichern' }));
    expect(await screen.findByText('Die Angaben zu Gerda Gast wurden gespeichert.')).toBeTruthy();
    expect(seen.find((s) => s.call.startsWith('PATCH'))).toEqual({ call: `PATCH /api/v1/t/demo/guests/${ID}`, body: { sponsor_id: SPONSOR2, organisation_id: ORG2 } });
    const details = screen.getByRole('region', { name: 'Angaben' });
    expect(details.textContent).toContain('Paul Planer');
    expect(details.textContent).toContain('Ingenieurbüro Süd');
  });

  it('clears the organisation with "Keine Organisation"', async () => {
    const seen = server();
    const user = userEvent.setup();
    inModule(<GuestPage guestId={ID} />, docs(), `/t/demo/guests/${ID}`);
    await user.click(await screen.findByRole('button', { name: 'Sponsor oder Organisation ändern' }));
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByRole('option', { name: 'Ingenieurbüro Süd' });
    await user.selectOptions(within(dialog).getByLabelText('Organisation'), '');
    await user.click(within(dialog).getByRole('button', { name: 'Speichern' }));
    await screen.findByText('Die Angaben zu Gerda Gast wurden gespeichert.');
    expect(seen.find((s) => s.call.startsWith('PATCH'))?.body).toEqual({ organisation_id: '' });
  });

  it('a guest the caller may not see reads as unavailable', async () => {
    server(false);
    inModule(<GuestPage guestId={ID} />, docs(), `/t/demo/guests/${ID}`);
    expect(await screen.findByRole('heading', { level: 1, name: 'Gast nicht verfügbar' })).toBeTruthy();
    expect((await screen.findByRole('alert')).textContent).toContain('Diesen Gast gibt es nicht.');
  });
});
