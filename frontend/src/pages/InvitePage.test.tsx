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
let signedInAs: string | null = null;
let acceptAnswer: () => Response = () => json(201, { tenant_slug: 'muster', email: info.email, role: 'staff', totp_required: true });

beforeEach(async () => {
  resetCsrfToken();
  sent.length = 0;
  signedInAs = null;
  acceptAnswer = () => json(201, { tenant_slug: 'muster', email: info.email, role: 'staff', totp_required: true });
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
      if (path === '/api/v1/t/muster/invitations/accept') return acceptAnswer();
      if (path === '/api/v1/me' && signedInAs) return json(200, { id: 'u', email: signedInAs, display_name: 'Jemand', locale: 'de', totp_enabled: true, recovery_codes_left: 10, tenants: [] });
      if (path === '/api/v1/auth/logout') {
        signedInAs = null;
        return new Response(null, { status: 204 });
      }
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

  it('shows the server\'s refusal when the signed-in account may not accept, and offers to sign out', async () => {
    const user = userEvent.setup();
    signedInAs = 'NEU@amt.de'; // looks like the invited address to the page
    acceptAnswer = () =>
      json(403, {
        type: 'urn:kollab:problem:invitation-other-account',
        code: 'invitation-other-account',
        status: 403,
        title: 'Einladung für eine andere Adresse',
        detail: 'Die E-Mail-Adresse dieses Kontos ist nicht bestätigt: mit ihm lässt sich keine Einladung annehmen.',
      });
    renderInvite();
    expect(await screen.findByText('Sie sind als NEU@amt.de angemeldet.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Mit meinem Konto beitreten' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Diese Einladung gilt nicht für Ihr Konto');
    expect(alert.textContent).toContain('Die E-Mail-Adresse dieses Kontos ist nicht bestätigt');
    expect(screen.queryByRole('button', { name: 'Mit meinem Konto beitreten' })).toBeNull();
    expect(sent.find((s) => s.path.endsWith('/accept'))?.body).toEqual({ token: 'geheim123', into_current_account: true });
    await user.click(screen.getByRole('button', { name: 'Abmelden' }));
    expect(await screen.findByRole('heading', { name: 'Konto anlegen' })).toBeTruthy();
    expect(screen.queryByText('Diese Einladung gilt nicht für Ihr Konto')).toBeNull();
  });

  it('names both addresses in English too', async () => {
    await i18n.changeLanguage('en');
    expect(i18n.t('invite.mismatchText', { current: 'eve@x.de', invited: 'neu@amt.de' })).toBe(
      'The invitation is for neu@amt.de, you are signed in as eve@x.de. Only the account of that address can accept it: sign out and open the link again.',
    );
    expect(i18n.t('errors.codes.invitation-other-account')).toBe('Invitation for another address');
  });
});
