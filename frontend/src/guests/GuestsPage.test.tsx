import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import i18n from '../i18n';
import { GuestsPage } from './GuestsPage';
import { docs, fakeServer, guest, inModule, json } from './testing';

const GERDA = guest();
const NEVER = guest({
  membership_id: '0190a000-0000-7000-8000-0000000000c2',
  email: 'ali@ing.example',
  display_name: 'Ali Ingenieur',
  last_sign_in_at: undefined,
  organisation_id: undefined,
  organisation_name: '',
  expires_on: '2027-01-15',
  workspaces: [],
});
const GONE = guest({ membership_id: '0190a000-0000-7000-8000-0000000000c3', email: 'dora@x.example', display_name: 'Dora Deaktiviert', state: 'deactivated' });

function server(list = [GERDA, NEVER, GONE], truncated = false) {
  return fakeServer((req, body) => {
    const url = new URL(req.url);
    if (req.method === 'GET' && url.pathname === '/api/v1/t/demo/guests') {
      const stale = url.searchParams.get('stale') === 'true';
      return json({ guests: stale ? list.filter((g) => !g.last_sign_in_at) : list, truncated });
    }
    if (req.method === 'POST' && url.pathname.endsWith('/renew')) {
      expect(body).toEqual({});
      return json({ ...GERDA, expires_on: '2027-06-05', state: 'active' });
    }
    if (req.method === 'POST' && url.pathname.endsWith('/offboard')) return json({ ...GERDA, state: 'offboarded', workspaces: [] });
    return json({ status: 404, code: 'not-found', title: 'Nicht gefunden' }, 404);
  });
}

beforeEach(async () => {
  resetCsrfToken();
  await i18n.changeLanguage('de');
});
afterEach(() => vi.unstubAllGlobals());

describe('the guests page', () => {
  it('staff see their own guests ("Meine Gäste") in a table with headers, in a labelled region that scrolls on a phone', async () => {
    const seen = server();
    inModule(<GuestsPage />);
    expect(await screen.findByRole('heading', { level: 1, name: 'Meine Gäste' })).toBeTruthy();
    expect(seen[0].call).toBe('GET /api/v1/t/demo/guests?scope=mine');
    const region = await screen.findByRole('region', { name: 'Gäste' });
    // 320 px: the table scrolls sideways inside its keyboard-reachable region.
    expect(region.className).toContain('kern-table-responsive');
    expect(region.className).toContain('app-table-wrap');
    expect(region.tabIndex).toBe(0);
    expect(within(region).getByRole('table').className).toContain('app-guests-table');
    expect(within(region).getAllByRole('columnheader').map((h) => h.textContent)).toEqual([
      'Name',
      'E-Mail-Adresse',
      'Organisation',
      'Sponsor',
      'Letzte Anmeldung',
      'Zugang bis',
      'Arbeitsräume',
      'Status',
      'Aktionen',
    ]);
    const row = within(region).getByRole('row', { name: /^Gerda Gast/ });
    expect(within(row).getByRole('link', { name: 'Gerda Gast' }).getAttribute('href')).toBe('/t/demo/guests/0190a000-0000-7000-8000-0000000000c1');
    expect(row.textContent).toContain('Planungsbüro Nord');
    expect(row.textContent).toContain('Radweg Nord');
    expect(row.textContent).toContain('01.03.2027');
    expect(row.textContent).toContain('Aktiv');
    const never = within(region).getByRole('row', { name: /^Ali Ingenieur/ });
    expect(never.textContent).toContain('noch nie');
    expect(never.textContent).toContain('in keinem Arbeitsraum');
    expect(screen.getByText('3 Gäste')).toBeTruthy();
  });

  it('administrators review every guest ("Zugangsprüfung"); a cut list says so', async () => {
    const seen = server([GERDA], true);
    inModule(<GuestsPage />, docs({ role: 'admin', isAdmin: true }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Zugangsprüfung' })).toBeTruthy();
    expect(seen[0].call).toBe('GET /api/v1/t/demo/guests?scope=all');
    expect(await screen.findByText('Die Liste ist gekürzt. Grenzen Sie sie mit dem Filter ein.')).toBeTruthy();
  });

  it('filters guests not signed in for 90 days', async () => {
    const seen = server();
    const user = userEvent.setup();
    inModule(<GuestsPage />);
    await screen.findByRole('row', { name: /^Gerda Gast/ });
    await user.click(screen.getByLabelText('Nicht angemeldet seit 90 Tagen'));
    expect(await screen.findByRole('heading', { level: 2, name: 'Gäste ohne Anmeldung seit 90 Tagen' })).toBeTruthy();
    await screen.findByText('1 Gast');
    expect(seen.map((s) => s.call)).toContain('GET /api/v1/t/demo/guests?scope=mine&stale=true');
    expect(screen.queryByRole('row', { name: /^Gerda Gast/ })).toBeNull();
    expect(screen.getByRole('row', { name: /^Ali Ingenieur/ })).toBeTruthy();
  });

  it('renews a guest by 180 days in one click, the button naming the person', async () => {
    const seen = server();
    const user = userEvent.setup();
    inModule(<GuestsPage />);
    const row = await screen.findByRole('row', { name: /^Gerda Gast/ });
    await user.click(within(row).getByRole('button', { name: /^Um 180 Tage verlängern\W+Gerda Gast$/ }));
    expect(await screen.findByText('Der Zugang von Gerda Gast gilt jetzt bis 05.06.2027.')).toBeTruthy();
    expect(seen.map((s) => s.call)).toContain('POST /api/v1/t/demo/guests/0190a000-0000-7000-8000-0000000000c1/renew');
    expect(within(screen.getByRole('row', { name: /^Gerda Gast/ })).getByText('05.06.2027')).toBeTruthy();
  });

  it('ends a guest’s access after a confirmation that says what happens', async () => {
    const seen = server();
    const user = userEvent.setup();
    inModule(<GuestsPage />);
    const row = await screen.findByRole('row', { name: /^Gerda Gast/ });
    await user.click(within(row).getByRole('button', { name: /^Zugang beenden\W+Gerda Gast$/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Zugang von Gerda Gast beenden?' });
    const says = within(dialog).getByTestId('offboard-consequences').textContent!;
    expect(says).toContain('Gerda Gast wird aus dem einen Arbeitsraum genommen');
    expect(says).toContain('Alle Sitzungen von Gerda Gast enden sofort');
    expect(says).toContain('bleiben erhalten');
    expect(seen.some((s) => s.call.endsWith('/offboard'))).toBe(false);
    await user.click(within(dialog).getByRole('button', { name: 'Zugang beenden' }));
    expect(await screen.findByText('Der Zugang von Gerda Gast wurde beendet.')).toBeTruthy();
    expect(seen.find((s) => s.call.endsWith('/offboard'))).toEqual({ call: 'POST /api/v1/t/demo/guests/0190a000-0000-7000-8000-0000000000c1/offboard', body: {} });
    const after = screen.getByRole('row', { name: /^Gerda Gast/ });
    expect(after.textContent).toContain('Beendet');
    // Ended access cannot be ended again: disabled, with the reason beside it.
    const again = within(after).getByRole('button', { name: /^Zugang beenden/ }) as HTMLButtonElement;
    expect(again.disabled).toBe(true);
    expect(document.getElementById(again.getAttribute('aria-describedby')!)!.textContent).toMatch(/bereits beendet/);
  });

  it('a deactivated membership cannot be renewed or ended here, and says why', async () => {
    server();
    inModule(<GuestsPage />);
    const row = await screen.findByRole('row', { name: /^Dora Deaktiviert/ });
    for (const name of [/^Um 180 Tage verlängern/, /^Zugang beenden/]) {
      const b = within(row).getByRole('button', { name }) as HTMLButtonElement;
      expect(b.disabled).toBe(true);
      const reason = document.getElementById(b.getAttribute('aria-describedby')!)!;
      expect(row.contains(reason)).toBe(true);
      expect(reason.textContent).toMatch(/Mitgliedschaft ist deaktiviert/);
    }
  });

  it('says so when there are no guests', async () => {
    server([]);
    inModule(<GuestsPage />);
    expect(await screen.findByText(/Sie betreuen keine Gäste/)).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });
});
