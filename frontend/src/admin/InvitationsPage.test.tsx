import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import i18n from '../i18n';
import { InvitationsPage } from './InvitationsPage';
import type { TenantInfo } from './AdminConsole';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

// What the server answers about the mail when an invitation is created.
let mail: { mail_sent: boolean; mail_configured: boolean };

beforeEach(async () => {
  resetCsrfToken();
  await i18n.changeLanguage('de');
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init);
      const path = new URL(req.url).pathname;
      if (path === '/api/v1/auth/csrf') return json(200, { csrf_token: 't', header: 'X-CSRF-Token' });
      if (path === '/api/v1/t/amt/invitations' && req.method === 'GET') return json(200, { invitations: [] });
      if (path === '/api/v1/t/amt/invitations' && req.method === 'POST') {
        const body = JSON.parse(await req.text());
        return json(201, {
          id: 'i1',
          email: body.email,
          role: body.role,
          state: 'pending',
          created_at: '2026-12-07T10:00:00Z',
          expires_at: '2026-12-14T10:00:00Z',
          accept_url: 'http://localhost:8080/invite/amt#token=abc',
          ...mail,
        });
      }
      return json(404, { status: 404, title: 'not found', code: 'not-found' });
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

async function invite() {
  render(<InvitationsPage tenant={{ slug: 'amt', name: 'Amt' } as TenantInfo} />);
  await userEvent.type(screen.getByLabelText('E-Mail-Adresse'), 'neu@amt.de');
  await userEvent.click(screen.getByRole('button', { name: 'Einladung senden' }));
  await screen.findByLabelText('Einladungslink');
  return document.getElementById('invite-result')!;
}

describe('the invitation result', () => {
  it('does not claim a mail was sent when no mail server is set up, and offers the link to copy', async () => {
    mail = { mail_sent: false, mail_configured: false };
    const status = await invite();
    expect(status.textContent).toContain('E-Mail-Versand ist nicht eingerichtet – bitte Link weitergeben');
    expect(status.textContent).toContain('Einladung für neu@amt.de angelegt');
    expect(status.textContent).not.toMatch(/verschickt/);
    expect(screen.getByLabelText<HTMLInputElement>('Einladungslink').value).toBe('http://localhost:8080/invite/amt#token=abc');
    expect(screen.getByRole('button', { name: 'Link kopieren' })).toBeTruthy();
  });

  it('says so when the mail server refused the mail', async () => {
    mail = { mail_sent: false, mail_configured: true };
    const status = await invite();
    expect(status.textContent).toContain('Die E-Mail konnte nicht verschickt werden – bitte Link weitergeben');
    expect(screen.getByRole('button', { name: 'Link kopieren' })).toBeTruthy();
  });

  it('says the mail was sent when it was', async () => {
    mail = { mail_sent: true, mail_configured: true };
    const status = await invite();
    expect(status.textContent).toContain('Einladung an neu@amt.de verschickt');
    expect(status.textContent).toContain('Die Einladung wurde per E-Mail verschickt.');
  });
});

describe('the role select', () => {
  it('no longer offers partners and says where guests are invited', async () => {
    render(<InvitationsPage tenant={{ slug: 'amt', name: 'Amt' } as TenantInfo} />);
    const role = screen.getByLabelText('Rolle') as HTMLSelectElement;
    expect([...role.options].map((o) => o.value)).toEqual(['admin', 'staff', 'committee']);
    expect(document.getElementById(role.getAttribute('aria-describedby')!)!.textContent).toMatch(/^Gäste werden im Arbeitsraum eingeladen/);
  });
});
