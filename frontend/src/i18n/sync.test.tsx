import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import { SessionProvider } from '../auth/session';
import { LanguageSwitch } from '../frame/LanguageSwitch';
import i18n from './index';
import { reconcile, unsavedChoice } from './sync';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const unauthenticated = () =>
  new Response(JSON.stringify({ type: 'urn:kollab:problem:unauthenticated', title: 'Nicht angemeldet', status: 401, code: 'unauthenticated' }), {
    status: 401,
    headers: { 'Content-Type': 'application/problem+json' },
  });
const me = (locale: string) => ({ id: 'u1', email: 'anna@amt.de', display_name: 'Anna', locale, totp_enabled: true, recovery_codes_left: 10, tenants: [] });

let account: string | null = 'de'; // null: signed out
const patches: string[] = [];

beforeEach(async () => {
  resetCsrfToken();
  localStorage.clear();
  patches.length = 0;
  await i18n.changeLanguage('de');
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init);
      const path = new URL(req.url).pathname;
      if (path === '/api/v1/auth/csrf') return json(200, { csrf_token: 't', header: 'X-CSRF-Token' });
      if (path === '/api/v1/me' && account === null) return unauthenticated();
      if (path === '/api/v1/me' && req.method === 'GET') return json(200, me(account!));
      if (path === '/api/v1/me' && req.method === 'PATCH') {
        const body = (await req.json()) as { locale: string };
        patches.push(body.locale);
        account = body.locale;
        return json(200, me(account));
      }
      return unauthenticated();
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

describe('reconcile', () => {
  it('applies the account language, or saves a choice made while signed out', () => {
    expect(reconcile('en', 'de', false)).toEqual({ apply: 'en' });
    expect(reconcile('de', 'de', false)).toEqual({});
    expect(reconcile('de', 'en', true)).toEqual({ save: 'en' });
    expect(reconcile('en', 'en', true)).toEqual({});
    expect(reconcile(undefined, 'de', false)).toEqual({});
    expect(reconcile('fr', 'de', false)).toEqual({});
  });
});

describe('the language follows the account', () => {
  it('takes the account’s English at sign-in in a fresh browser', async () => {
    account = 'en';
    render(
      <SessionProvider>
        <LanguageSwitch />
      </SessionProvider>,
    );
    await waitFor(() => expect(i18n.language).toBe('en'));
    expect(document.documentElement.lang).toBe('en');
    expect(await screen.findByRole('button', { name: /Deutsch/ })).toBeTruthy();
    expect(patches).toEqual([]);
  });

  it('saves the switch for the signed-in account', async () => {
    account = 'de';
    render(
      <SessionProvider>
        <LanguageSwitch />
      </SessionProvider>,
    );
    await userEvent.click(await screen.findByRole('button', { name: /English/ }));
    await waitFor(() => expect(patches).toEqual(['en']));
    expect(i18n.language).toBe('en');
    expect(unsavedChoice()).toBe(false);
  });

  it('keeps a choice made while signed out and saves it at the next sign-in', async () => {
    account = null;
    const view = render(
      <SessionProvider>
        <LanguageSwitch />
      </SessionProvider>,
    );
    await userEvent.click(await screen.findByRole('button', { name: /English/ }));
    expect(i18n.language).toBe('en');
    expect(unsavedChoice()).toBe(true);
    expect(patches).toEqual([]);
    view.unmount();
    account = 'de'; // signed in (elsewhere) with German on the account
    render(
      <SessionProvider>
        <LanguageSwitch />
      </SessionProvider>,
    );
    await waitFor(() => expect(patches).toEqual(['en']));
    expect(i18n.language).toBe('en');
    expect(unsavedChoice()).toBe(false);
  });
});
