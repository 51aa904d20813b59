import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryRouter } from 'react-router';
import { resetCsrfToken } from '../api/client';
import i18n from '../i18n';
import { TokensSection } from '../pages/profile/TokensSection';
import { ReauthDialog } from './ReauthDialog';
import { SessionProvider, useSession } from './session';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });
const problem = (status: number, code: string, detail: string, field?: string) =>
  json(status, { type: `urn:kollab:problem:${code}`, title: code, status, detail, code, field });

const me = (tenants: { slug: string; role: string }[]) => ({
  id: 'u1',
  email: 'anna@amt.de',
  display_name: 'Anna',
  locale: 'de',
  totp_enabled: true,
  recovery_codes_left: 10,
  tenants: tenants.map((t) => ({ ...t, name: t.slug, status: 'active', totp_required: true, usable: true })),
});

const requests: { method: string; path: string; body: unknown }[] = [];
let proven = false;
let role = 'admin';

beforeEach(async () => {
  resetCsrfToken();
  requests.length = 0;
  proven = false;
  role = 'admin';
  await i18n.changeLanguage('de');
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init);
      const path = new URL(req.url).pathname;
      const body = req.method === 'GET' ? undefined : JSON.parse((await req.clone().text()) || '{}');
      requests.push({ method: req.method, path, body });
      if (path === '/api/v1/auth/csrf') return json(200, { csrf_token: 't', header: 'X-CSRF-Token' });
      if (path === '/api/v1/me') return json(200, me([{ slug: 'amt', role }]));
      if (path === '/api/v1/me/tokens' && req.method === 'GET') return json(200, { tokens: [] });
      if (path === '/api/v1/me/tokens' && req.method === 'POST') {
        if (!proven) return problem(403, 'reauth-required', 'Bitte bestätigen Sie diese Aktion mit Ihrem Passwort und Ihrem zweiten Faktor.');
        return json(201, { id: 'k1', name: body.name, scope: body.scope, created_at: '2026-12-07T10:00:00Z', expires_at: body.expires_at, token: 'klt_geheim' });
      }
      if (path === '/api/v1/me/reauth') {
        if (body.code !== '123456') return problem(422, 'invalid-input', 'Der Code ist falsch, abgelaufen oder wurde bereits verwendet.', 'code');
        proven = true;
        return json(200, { valid_until: '2026-12-07T10:05:00Z' });
      }
      return problem(404, 'not-found', 'Nicht gefunden');
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

function Signed() {
  const { state } = useSession();
  return state.status === 'signed-in' ? <TokensSection /> : null;
}

function renderTokens() {
  return render(
    <MemoryRouter>
      <SessionProvider>
        <Signed />
        <ReauthDialog />
      </SessionProvider>
    </MemoryRouter>,
  );
}

describe('re-authentication', () => {
  it('opens on reauth-required, shows the server’s message at its field, and then creates the token', async () => {
    const user = userEvent.setup();
    renderTokens();
    await user.type(await screen.findByLabelText('Bezeichnung'), 'Export');
    await user.selectOptions(screen.getByLabelText('Bereich'), 'write');
    expect((screen.getByLabelText('Gültigkeit') as HTMLSelectElement).value).toBe('90');
    await user.click(screen.getByRole('button', { name: 'Token erstellen' }));

    const dialog = await screen.findByRole('dialog', { name: 'Identität bestätigen' });
    const password = within(dialog).getByLabelText('Passwort');
    await waitFor(() => expect(document.activeElement).toBe(password));
    // Empty fields are marked before anything is sent.
    await user.click(within(dialog).getByRole('button', { name: 'Bestätigen' }));
    expect(password.getAttribute('aria-describedby')).toBe('reauth-password-error');
    expect(requests.filter((r) => r.path === '/api/v1/me/reauth')).toHaveLength(0);

    await user.type(password, 'ein-sehr-langes-Passwort');
    const code = within(dialog).getByLabelText('Code aus der Authenticator-App');
    await user.type(code, '654321');
    await user.click(within(dialog).getByRole('button', { name: 'Bestätigen' }));
    await waitFor(() => expect(code.getAttribute('aria-describedby')).toContain('reauth-code-error'));
    expect(document.getElementById('reauth-code-error')?.textContent).toContain('Der Code ist falsch');
    await waitFor(() => expect(document.activeElement).toBe(code));

    await user.type(code, '123456');
    await user.click(within(dialog).getByRole('button', { name: 'Bestätigen' }));
    expect(await screen.findByDisplayValue('klt_geheim')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    const posts = requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/me/tokens');
    expect(posts).toHaveLength(2);
    expect(posts[1].body).toMatchObject({ name: 'Export', scope: 'write' });
    expect(requests.find((r) => r.path === '/api/v1/me/reauth' && proven)?.body).toMatchObject({ password: 'ein-sehr-langes-Passwort' });
  });

  it('shows reauth-required at the form when the person cancels', async () => {
    const user = userEvent.setup();
    renderTokens();
    await user.type(await screen.findByLabelText('Bezeichnung'), 'Export');
    await user.click(screen.getByRole('button', { name: 'Token erstellen' }));
    const dialog = await screen.findByRole('dialog', { name: 'Identität bestätigen' });
    await user.click(within(dialog).getByRole('button', { name: 'Abbrechen' }));
    expect(await screen.findByText(/Bitte bestätigen Sie diese Aktion/)).toBeTruthy();
    expect(requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/me/tokens')).toHaveLength(1);
  });

  it('offers the admin scope only to admins', async () => {
    role = 'staff';
    renderTokens();
    const scope = (await screen.findByLabelText('Bereich')) as HTMLSelectElement;
    expect([...scope.options].map((o) => o.value)).toEqual(['read', 'write']);
  });
});
