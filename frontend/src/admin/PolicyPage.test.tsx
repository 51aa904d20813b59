import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import i18n from '../i18n';
import type { TenantInfo } from './AdminConsole';
import { PolicyPage } from './PolicyPage';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

let sent: unknown;
beforeEach(async () => {
  resetCsrfToken();
  sent = undefined;
  await i18n.changeLanguage('de');
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init);
      if (req.url.endsWith('/auth/csrf')) return json(200, { csrf_token: 't' });
      if (req.method === 'PUT') {
        sent = JSON.parse(await req.text());
        return json(200, { ...(sent as object) });
      }
      return json(404, { status: 404, code: 'not-found', title: 'x' });
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

describe('the 2FA policy', () => {
  it('shows the partner role always required (checked, disabled, with the reason) and keeps it when saving', async () => {
    const onSaved = vi.fn();
    // A stored policy without partners: the server requires their second factor anyway.
    render(<PolicyPage tenant={{ slug: 'amt', name: 'Amt', settings: { require_totp_roles: ['admin'] } } as unknown as TenantInfo} onSaved={onSaved} />);
    const partner = screen.getByLabelText('Gast (extern)') as HTMLInputElement;
    expect(partner.checked).toBe(true);
    expect(partner.disabled).toBe(true);
    expect(document.getElementById(partner.getAttribute('aria-describedby')!)!.textContent).toBe(
      'Für Gäste (Partner) ist die Zwei-Faktor-Anmeldung immer Pflicht; das lässt sich nicht abschalten.',
    );
    await userEvent.click(screen.getByLabelText('Mitarbeitende'));
    await userEvent.click(screen.getByRole('button', { name: 'Speichern' }));
    await screen.findByText('Die Richtlinie wurde gespeichert.');
    expect(sent).toEqual({ require_totp_roles: ['admin', 'staff', 'partner'] });
    expect(onSaved).toHaveBeenCalled();
  });
});
