import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryRouter, Route, Routes } from 'react-router';
import { resetCsrfToken } from '../api/client';
import { SessionProvider } from '../auth/session';
import i18n from '../i18n';
import { LoginPage } from './LoginPage';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });
const problem = (status: number, code: string, title: string, detail: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ type: `urn:kollab:problem:${code}`, title, status, detail, code }), {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
  });

const me = { id: 'u1', email: 'anna@amt.de', display_name: 'Anna', locale: 'de', totp_enabled: true, recovery_codes_left: 10, tenants: [] };

type Handler = (req: Request) => Response | undefined;
let handlers: Handler[] = [];
const requests: { method: string; path: string; body: string }[] = [];

function server(...hs: Handler[]) {
  handlers = hs;
}

beforeEach(async () => {
  resetCsrfToken();
  handlers = [];
  requests.length = 0;
  await i18n.changeLanguage('de');
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init);
      const path = new URL(req.url).pathname;
      requests.push({ method: req.method, path, body: req.method === 'GET' ? '' : await req.clone().text() });
      if (path === '/api/v1/auth/csrf') return json(200, { csrf_token: 't', header: 'X-CSRF-Token' });
      for (const h of handlers) {
        const res = h(req);
        if (res) return res;
      }
      return problem(401, 'unauthenticated', 'Nicht angemeldet', 'Bitte melden Sie sich an.');
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

function renderLogin() {
  return render(
    <MemoryRouter initialEntries={['/login']}>
      <SessionProvider>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/" element={<p>Startseite erreicht</p>} />
        </Routes>
      </SessionProvider>
    </MemoryRouter>,
  );
}

const on = (method: string, path: string, res: () => Response): Handler => (req) =>
  req.method === method && new URL(req.url).pathname === path ? res() : undefined;

describe('LoginPage', () => {
  it('waits out an unreachable server instead of showing the sign-in, and carries on', async () => {
    let calls = 0;
    server(on('GET', '/api/v1/me', () =>
      ++calls === 1
        ? problem(503, 'unavailable', 'Dienst vorübergehend nicht erreichbar', 'Der Dienst ist gerade nicht erreichbar.', { 'Retry-After': '1' })
        : json(200, me),
    ));
    renderLogin();
    expect(await screen.findByText('Dienst vorübergehend nicht erreichbar')).toBeTruthy();
    expect(screen.queryByLabelText('Passwort')).toBeNull();
    expect(await screen.findByText('Startseite erreicht', {}, { timeout: 3000 })).toBeTruthy();
    expect(calls).toBe(2);
  });

  it('marks empty fields, links their messages and focuses the first', async () => {
    const user = userEvent.setup();
    renderLogin();
    await user.click(await screen.findByRole('button', { name: 'Anmelden' }));
    const email = screen.getByLabelText('E-Mail-Adresse');
    expect(email).toHaveProperty('ariaInvalid', 'true');
    expect(email.getAttribute('aria-describedby')).toBe('login-email-error');
    expect(document.getElementById('login-email-error')?.textContent).toBe('Bitte geben Sie eine E-Mail-Adresse ein.');
    await waitFor(() => expect(document.activeElement).toBe(email));
    expect(requests.filter((r) => r.path === '/api/v1/auth/login')).toHaveLength(0);
  });

  it('announces the server’s message for a wrong password and focuses it', async () => {
    server(on('POST', '/api/v1/auth/login', () => problem(401, 'invalid-credentials', 'Anmeldung fehlgeschlagen', 'E-Mail-Adresse oder Passwort ist falsch.')));
    const user = userEvent.setup();
    renderLogin();
    await user.type(await screen.findByLabelText('E-Mail-Adresse'), 'anna@amt.de');
    await user.type(screen.getByLabelText('Passwort'), 'falsch');
    await user.click(screen.getByRole('button', { name: 'Anmelden' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Anmeldung fehlgeschlagen');
    expect(alert.textContent).toContain('E-Mail-Adresse oder Passwort ist falsch.');
    await waitFor(() => expect(document.activeElement).toBe(alert));
    expect(screen.getByLabelText('Passwort')).toHaveProperty('value', '');
    expect(JSON.parse(requests.find((r) => r.path === '/api/v1/auth/login')!.body)).toEqual({ email: 'anna@amt.de', password: 'falsch' });
  });

  it('says how long a locked account must wait', async () => {
    server(on('POST', '/api/v1/auth/login', () => problem(423, 'account-locked', 'Vorübergehend gesperrt', 'Die Anmeldung ist gesperrt.', { 'Retry-After': '600' })));
    const user = userEvent.setup();
    renderLogin();
    await user.type(await screen.findByLabelText('E-Mail-Adresse'), 'anna@amt.de');
    await user.type(screen.getByLabelText('Passwort'), 'egal');
    await user.click(screen.getByRole('button', { name: 'Anmelden' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Bitte in 10 Minuten erneut versuchen.');
  });

  it('asks for the second factor, refuses a wrong code, then signs in', async () => {
    let codes = 0;
    server(
      on('POST', '/api/v1/auth/login', () => json(200, { second_factor_required: true })),
      on('POST', '/api/v1/auth/second-factor', () =>
        ++codes === 1
          ? problem(401, 'invalid-code', 'Code ungültig', 'Der Code ist falsch, abgelaufen oder wurde bereits verwendet.')
          : json(200, me),
      ),
    );
    const user = userEvent.setup();
    renderLogin();
    await user.type(await screen.findByLabelText('E-Mail-Adresse'), 'anna@amt.de');
    await user.type(screen.getByLabelText('Passwort'), 'richtig-und-lang');
    await user.click(screen.getByRole('button', { name: 'Anmelden' }));
    const code = await screen.findByLabelText('Code aus der Authenticator-App');
    await waitFor(() => expect(document.activeElement).toBe(code));
    await user.keyboard('12345');
    await user.click(screen.getByRole('button', { name: 'Bestätigen' }));
    expect(await screen.findByText('Der Code besteht aus 6 Ziffern.')).toBeTruthy();
    await user.type(code, '6');
    await user.click(screen.getByRole('button', { name: 'Bestätigen' }));
    expect((await screen.findByRole('alert')).textContent).toContain('bereits verwendet');
    await user.type(screen.getByLabelText('Code aus der Authenticator-App'), '654 321');
    await user.click(screen.getByRole('button', { name: 'Bestätigen' }));
    expect(await screen.findByText('Startseite erreicht')).toBeTruthy();
    const sent = requests.filter((r) => r.path === '/api/v1/auth/second-factor').map((r) => JSON.parse(r.body));
    expect(sent).toEqual([{ code: '123456' }, { code: '654321' }]);
  });

  it('accepts a recovery code instead', async () => {
    server(
      on('POST', '/api/v1/auth/login', () => json(200, { second_factor_required: true })),
      on('POST', '/api/v1/auth/second-factor', () => json(200, me)),
    );
    const user = userEvent.setup();
    renderLogin();
    await user.type(await screen.findByLabelText('E-Mail-Adresse'), 'anna@amt.de');
    await user.type(screen.getByLabelText('Passwort'), 'richtig-und-lang');
    await user.click(screen.getByRole('button', { name: 'Anmelden' }));
    await user.click(await screen.findByRole('button', { name: 'Wiederherstellungscode verwenden' }));
    await user.type(screen.getByLabelText('Wiederherstellungscode'), ' abcde-fghij-klmno ');
    await user.click(screen.getByRole('button', { name: 'Bestätigen' }));
    expect(await screen.findByText('Startseite erreicht')).toBeTruthy();
    expect(JSON.parse(requests.find((r) => r.path === '/api/v1/auth/second-factor')!.body)).toEqual({ recovery_code: 'abcde-fghij-klmno' });
  });

  it('switches to English and sends Accept-Language accordingly', async () => {
    server(on('POST', '/api/v1/auth/login', () => problem(401, 'invalid-credentials', 'Sign-in failed', 'E-mail address or password is wrong.')));
    const user = userEvent.setup();
    renderLogin();
    await screen.findByRole('heading', { name: 'Anmelden', level: 1 });
    await act(() => i18n.changeLanguage('en'));
    expect(document.documentElement.lang).toBe('en');
    await user.type(await screen.findByLabelText('E-mail address'), 'anna@amt.de');
    await user.type(screen.getByLabelText('Password'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Sign-in failed');
    const fetchMock = vi.mocked(globalThis.fetch);
    const last = fetchMock.mock.calls.at(-1)![0] as Request;
    expect(last.headers.get('Accept-Language')).toBe('en');
    await act(() => i18n.changeLanguage('de'));
  });
});
