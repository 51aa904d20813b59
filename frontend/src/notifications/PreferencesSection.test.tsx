import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import i18n from '../i18n';
import { PreferencesSection } from './PreferencesSection';

vi.mock('../auth/session', () => {
  const me = { email: 'a@amt.de', tenants: [{ slug: 'amt', name: 'Amt', usable: true }] };
  return { useMe: () => me, tenantsOf: (m: typeof me) => m.tenants, preferredTenant: (m: typeof me) => m.tenants[0] };
});

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const prefs = [
  { kind: 'poll.opened', label: { de: 'Abstimmung für mich geöffnet', en: 'A poll is open for me' }, mode: 'immediate', default: 'immediate' },
  { kind: 'meeting.invited', label: { de: 'Einladung zu einer Sitzung', en: 'Invitation to a meeting' }, mode: 'never', default: 'never' },
];
let sent: unknown;

beforeEach(async () => {
  resetCsrfToken();
  sent = undefined;
  await i18n.changeLanguage('de');
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init);
      const path = new URL(req.url).pathname;
      if (path === '/api/v1/auth/csrf') return json(200, { csrf_token: 't', header: 'X-CSRF-Token' });
      if (path === '/api/v1/t/amt/notification-preferences' && req.method === 'GET') return json(200, { preferences: prefs });
      if (path === '/api/v1/t/amt/notification-preferences' && req.method === 'PUT') {
        sent = JSON.parse(await req.text());
        const chosen = (sent as { preferences: { kind: string; mode: string }[] }).preferences;
        return json(200, { preferences: prefs.map((p) => ({ ...p, mode: chosen.find((c) => c.kind === p.kind)?.mode ?? p.mode })) });
      }
      return json(404, { status: 404, title: 'not found', code: 'not-found' });
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

describe('notification preferences in the profile', () => {
  it('shows a radio group per kind with its label and saves every choice with one button', async () => {
    render(<PreferencesSection />);
    const group = await screen.findByRole('group', { name: 'Abstimmung für mich geöffnet' });
    expect(within(group).getByRole('radio', { name: 'Sofort per E-Mail (Voreinstellung)' })).toHaveProperty('checked', true);
    expect(within(group).getAllByRole('radio')).toHaveLength(3);
    expect(screen.getByRole('group', { name: 'Einladung zu einer Sitzung' })).toBeTruthy();
    await userEvent.click(within(group).getByRole('radio', { name: 'Nie per E-Mail' }));
    await userEvent.click(screen.getByRole('button', { name: 'Einstellungen speichern' }));
    const ok = await screen.findByRole('status');
    expect(ok.textContent).toContain('Ihre Benachrichtigungseinstellungen wurden gespeichert.');
    expect(sent).toEqual({
      preferences: [
        { kind: 'poll.opened', mode: 'never' },
        { kind: 'meeting.invited', mode: 'never' },
      ],
    });
    expect(within(group).getByRole('radio', { name: 'Nie per E-Mail' })).toHaveProperty('checked', true);
  });

  it('labels the kinds in English when English is chosen', async () => {
    await i18n.changeLanguage('en');
    render(<PreferencesSection />);
    const group = await screen.findByRole('group', { name: 'A poll is open for me' });
    expect(within(group).getByRole('radio', { name: 'Daily digest' })).toBeTruthy();
  });
});
