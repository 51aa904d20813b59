import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryRouter, Route, Routes } from 'react-router';
import { resetCsrfToken } from '../api/client';
import { SessionProvider } from '../auth/session';
import i18n from '../i18n';
import { InvitePage } from './InvitePage';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const info = { tenant_name: 'Stadt Musterhausen', email: 'neu@amt.de', role: 'staff', expires_at: '2026-12-01T10:00:00Z', account_exists: false, totp_required: true };
const sent: { path: string; body: unknown }[] = [];

beforeEach(async () => {
  resetCsrfToken();
  sent.length = 0;
  await i18n.changeLanguage('de');
  window.history.replaceState(null, '', '/invite/muster#token=geheim123');
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init);
      const path = new URL(req.url).pathname;
      if (req.method !== 'GET') sent.push({ path, body: JSON.parse((await req.clone().text()) || 'null') });
      if (path === '/api/v1/auth/csrf') return json(200, { csrf_token: 't' });
      if (path === '/api/v1/t/muster/invitations/lookup') return json(200, info);
      if (path === '/api/v1/t/muster/invitations/accept') return json(201, { tenant_slug: 'muster', email: info.email, role: 'staff', totp_required: true });
      if (path === '/api/v1/auth/login') return json(200, { second_factor_required: false, me: { id: 'u', email: info.email, display_name: 'Neu', locale: 'de', totp_enabled: false, recovery_codes_left: 0, tenants: [] } });
      return json(401, { code: 'unauthenticated', title: 'Nicht angemeldet', status: 401 });
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

function renderInvite() {
  render(
    <MemoryRouter initialEntries={['/invite/muster']}>
      <SessionProvider>
        <Routes>
          <Route path="/invite/:slug" element={<InvitePage />} />
          <Route path="/t/:slug" element={<p>Im Mandanten</p>} />
        </Routes>
      </SessionProvider>
    </MemoryRouter>,
  );
}

describe('InvitePage', () => {
  it('shows the invitation, checks the new password, creates the account and signs in', async () => {
    const user = userEvent.setup();
    renderInvite();
    expect(await screen.findByRole('heading', { level: 1, name: 'Einladung zu Stadt Musterhausen' })).toBeTruthy();
    expect(screen.getByText('neu@amt.de')).toBeTruthy();
    expect(screen.getByText('Zwei-Faktor-Anmeldung erforderlich')).toBeTruthy();
    expect(sent[0]).toEqual({ path: '/api/v1/t/muster/invitations/lookup', body: { token: 'geheim123' } });

    await user.type(screen.getByLabelText('Ihr Name'), 'Neu Ling');
    await user.type(screen.getByLabelText('Passwort wählen'), 'lang-genug-123');
    await user.type(screen.getByLabelText('Neues Passwort wiederholen'), 'lang-genug-124');
    await user.click(screen.getByRole('button', { name: 'Einladung annehmen' }));
    expect(await screen.findByText('Die beiden Passwörter stimmen nicht überein.')).toBeTruthy();
    await waitFor(() => expect(document.activeElement?.id).toBe('invite-repeat'));
    expect(sent.some((s) => s.path.endsWith('/accept'))).toBe(false);

    await user.clear(screen.getByLabelText('Neues Passwort wiederholen'));
    await user.type(screen.getByLabelText('Neues Passwort wiederholen'), 'lang-genug-123');
    await user.click(screen.getByRole('button', { name: 'Einladung annehmen' }));
    expect(await screen.findByText('Im Mandanten')).toBeTruthy();
    expect(sent.find((s) => s.path.endsWith('/accept'))?.body).toEqual({ token: 'geheim123', display_name: 'Neu Ling', password: 'lang-genug-123' });
    expect(sent.find((s) => s.path === '/api/v1/auth/login')?.body).toEqual({ email: 'neu@amt.de', password: 'lang-genug-123' });
    expect(window.location.hash).toBe(''); // the token leaves the address bar
  });

  it('explains a missing token without asking the server', async () => {
    window.history.replaceState(null, '', '/invite/muster');
    renderInvite();
    expect(await screen.findByText('Unvollständiger Link')).toBeTruthy();
    expect(sent).toHaveLength(0);
  });
});
