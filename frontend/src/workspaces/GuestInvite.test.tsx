import { fireEvent, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import { DocsContext, type DocsContextValue } from '../documents/context';
import { Directory } from '../documents/directory';
import { FolderCache } from '../documents/trail';
import type { GuestInvitationView } from '../guests/api';
import { daysFrom, yearsFrom } from '../guests/model';
import i18n from '../i18n';
import type { Workspace, WorkspaceMember } from './model';
import { WorkspacePage } from './WorkspacePage';

const ME = '0190a000-0000-7000-8000-000000000001';
const GUEST = '0190a000-0000-7000-8000-000000000003';
const GONE = '0190a000-0000-7000-8000-000000000004';
const ORG = '0190a000-0000-7000-8000-00000000000a';
// The directory knows nobody: names must come from the member list.
const directory = new Directory({ resolve: async () => ({ members: [], groups: [] }), search: async () => ({ members: [], groups: [] }) });
const ctx = (over: Partial<DocsContextValue> = {}): DocsContextValue => ({ slug: 'demo', role: 'staff', isAdmin: false, membershipId: ME, directory, folders: new FolderCache(), ...over });

const ws = (over: Partial<Workspace> = {}): Workspace => ({
  id: 'w1',
  name: 'Radweg Nord',
  purpose: '',
  file_number: '',
  responsible_id: ME,
  visibility: 'closed',
  state: 'active',
  folder_id: 'f1',
  version: 3,
  created_at: '2026-03-01T08:00:00Z',
  created_by: ME,
  updated_at: '2026-03-01T08:00:00Z',
  member_count: 3,
  can_manage: true,
  my_role: 'owner',
  ...over,
});
const member = (id: string, role: WorkspaceMember['role'], display_name: string, over: Partial<WorkspaceMember> = {}): WorkspaceMember => ({
  workspace_id: 'w1',
  membership_id: id,
  role,
  added_by: ME,
  created_at: '2026-03-01T08:00:00Z',
  updated_at: '2026-03-01T08:00:00Z',
  display_name,
  guest: false,
  active: true,
  ...over,
});
const MEMBERS = [
  member(ME, 'owner', 'Sabine Sachbearbeiterin'),
  member(GUEST, 'reader', 'Gerda Gast', { guest: true }),
  member(GONE, 'member', 'Otto Ehemalig', { guest: true, active: false }),
];
const PENDING: GuestInvitationView = {
  invitation_id: 'i1',
  email: 'neu@planungsbuero.example',
  role: 'member',
  invited_by: ME,
  created_at: '2026-12-01T09:00:00Z',
  expires_at: '2026-12-08T09:00:00Z',
  guest_expires_on: '2027-05-30',
};

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });

/** A fake server: the CSRF token, and `handle` for every other request (method, path and body recorded). */
function server(handle: (req: Request, body: unknown) => Response | undefined) {
  const seen: { call: string; body: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init);
      if (req.url.endsWith('/auth/csrf')) return json({ csrf_token: 't' });
      const url = new URL(req.url);
      const text = req.method === 'GET' ? '' : await req.clone().text();
      const body = text ? JSON.parse(text) : undefined;
      seen.push({ call: `${req.method} ${url.pathname}${url.search}`, body });
      const answer = handle(req, body);
      if (answer) return answer;
      if (url.pathname.endsWith('/members')) return json({ members: MEMBERS });
      if (url.pathname.endsWith('/guest-invitations')) return json({ invitations: [PENDING] });
      if (url.pathname.endsWith('/organisations')) return json({ organisations: [{ id: ORG, name: 'Planungsbüro Nord' }] });
      if (url.pathname === '/api/v1/t/demo/workspaces/w1') return json(ws());
      return json({ status: 404, code: 'not-found', title: 'Nicht gefunden' }, 404);
    }),
  );
  return seen;
}

const show = (value: DocsContextValue = ctx()) =>
  render(
    <MemoryRouter>
      <DocsContext.Provider value={value}>
        <WorkspacePage workspaceId="w1" />
      </DocsContext.Provider>
    </MemoryRouter>,
  );

beforeEach(async () => {
  resetCsrfToken();
  await i18n.changeLanguage('de');
});
afterEach(() => vi.unstubAllGlobals());

describe('guests on the workspace page', () => {
  it('names members from the list, marks guests and inactive memberships, and lists pending guest invitations', async () => {
    server(() => undefined);
    show();
    expect(await screen.findByRole('row', { name: /^Gerda Gast Gast/ })).toBeTruthy();
    const gone = screen.getByRole('row', { name: /^Otto Ehemalig/ });
    expect(within(gone).getByText('Gast')).toBeTruthy();
    expect(within(gone).getByText('inaktiv')).toBeTruthy();
    expect(screen.getByRole('row', { name: /^Sabine Sachbearbeiterin \(Sie\) verantwortlich/ })).toBeTruthy();
    // The responsible person is named from the list, not the directory.
    const responsible = screen.getByText('Verantwortliche Person').nextElementSibling!;
    expect(responsible.textContent).toBe('Sabine Sachbearbeiterin (Sie)');
    const pending = await screen.findByRole('region', { name: 'Offene Einladungen an Gäste' });
    const row = within(pending).getByRole('row', { name: /neu@planungsbuero\.example/ });
    expect(within(row).getByRole('button', { name: /^Zurückziehen\W+neu@planungsbuero\.example$/ })).toBeTruthy();
  });

  it('invites a guest: defaults, the date check, the body sent and the status naming what happened', async () => {
    const seen = server((req) =>
      req.method === 'POST' && req.url.endsWith('/guests') ? json({ outcome: 'invited', email: 'neu@planungsbuero.example', invitation_id: 'i2' }, 201) : undefined,
    );
    const user = userEvent.setup();
    show();
    await user.click(await screen.findByRole('button', { name: 'Gast einladen' }));
    const dialog = await screen.findByRole('dialog', { name: 'Gast in „Radweg Nord“ einladen' });
    const email = within(dialog).getByLabelText('E-Mail-Adresse');
    expect(document.activeElement).toBe(email);
    const until = within(dialog).getByLabelText('Zugang bis') as HTMLInputElement;
    expect(until.value).toBe(daysFrom(new Date(), 180));
    expect(until.max).toBe(yearsFrom(new Date(), 2));
    expect([...within(dialog).getByLabelText('Rolle').querySelectorAll('option')].map((o) => o.textContent)).toEqual(['Mitglied', 'Lesend']);
    await within(dialog).findByRole('option', { name: 'Planungsbüro Nord' });

    // A day beyond two years is refused with a message, before anything is sent.
    await user.type(email, 'neu@planungsbuero.example');
    fireEvent.change(until, { target: { value: yearsFrom(new Date(), 3) } });
    await user.click(within(dialog).getByRole('button', { name: 'Einladen' }));
    expect(await within(dialog).findByText('Der Zugang kann höchstens zwei Jahre ab heute gelten.')).toBeTruthy();
    expect(until.getAttribute('aria-invalid')).toBe('true');
    expect(seen.some((s) => s.call.endsWith('/guests'))).toBe(false);

    fireEvent.change(until, { target: { value: daysFrom(new Date(), 30) } });
    await user.selectOptions(within(dialog).getByLabelText('Rolle'), 'reader');
    await user.selectOptions(within(dialog).getByLabelText(/^Organisation/), ORG);
    await user.click(within(dialog).getByRole('button', { name: 'Einladen' }));
    expect(await screen.findByText('Einladung an neu@planungsbuero.example verschickt.')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();
    const sent = seen.find((s) => s.call === 'POST /api/v1/t/demo/workspaces/w1/guests');
    expect(sent?.body).toEqual({ email: 'neu@planungsbuero.example', role: 'reader', organisation_id: ORG, expires_on: daysFrom(new Date(), 30) });
    // The pending list is read again.
    expect(seen.filter((s) => s.call === 'GET /api/v1/t/demo/workspaces/w1/guest-invitations').length).toBeGreaterThanOrEqual(2);
  });

  it('says when an active guest was added at once, and shows the server’s refusal in the dialog', async () => {
    let refuse = true;
    server((req) => {
      if (!(req.method === 'POST' && req.url.endsWith('/guests'))) return undefined;
      if (refuse) return json({ status: 409, code: 'conflict', title: 'Konflikt', detail: 'Die Adresse gehört zu einer beschäftigten Person.' }, 409);
      return json({ outcome: 'added', email: 'gerda@gast.example', member: MEMBERS[1] }, 201);
    });
    const user = userEvent.setup();
    show();
    await user.click(await screen.findByRole('button', { name: 'Gast einladen' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('E-Mail-Adresse'), 'gerda@gast.example');
    await user.click(within(dialog).getByRole('button', { name: 'Einladen' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('Die Adresse gehört zu einer beschäftigten Person.');
    refuse = false;
    await user.click(within(dialog).getByRole('button', { name: 'Einladen' }));
    expect(await screen.findByText('gerda@gast.example ist jetzt Mitglied.')).toBeTruthy();
  });

  it('without a mail server, offers the link to pass on instead of claiming a mail went out', async () => {
    server((req) =>
      req.method === 'POST' && req.url.endsWith('/guests')
        ? json(
            {
              outcome: 'invited',
              email: 'neu@planungsbuero.example',
              invitation_id: 'i2',
              invitation: { id: 'i2', email: 'neu@planungsbuero.example', role: 'partner', state: 'pending', created_at: '2026-12-07T10:00:00Z', expires_at: '2026-12-14T10:00:00Z', accept_url: 'http://localhost:8080/invite/demo#token=abc', mail_sent: false, mail_configured: false },
            },
            201,
          )
        : undefined,
    );
    const user = userEvent.setup();
    show();
    await user.click(await screen.findByRole('button', { name: 'Gast einladen' }));
    const dialog = await screen.findByRole('dialog');
    await user.type(within(dialog).getByLabelText('E-Mail-Adresse'), 'neu@planungsbuero.example');
    await user.click(within(dialog).getByRole('button', { name: 'Einladen' }));
    const link = (await screen.findByLabelText('Einladungslink')) as HTMLInputElement;
    expect(link.value).toBe('http://localhost:8080/invite/demo#token=abc');
    const result = document.getElementById('ws-guest-link')!;
    expect(result.textContent).toContain('Einladung für neu@planungsbuero.example angelegt – E-Mail-Versand ist nicht eingerichtet, bitte Link weitergeben.');
    expect(result.textContent).not.toMatch(/verschickt\./);
    expect(within(result).getByRole('button', { name: 'Link kopieren' })).toBeTruthy();
    expect(screen.queryByText('Einladung an neu@planungsbuero.example verschickt.')).toBeNull();
  });

  it('withdraws a pending invitation after asking', async () => {
    const seen = server((req) => (req.method === 'DELETE' ? new Response(null, { status: 204 }) : undefined));
    const user = userEvent.setup();
    show();
    await user.click(await screen.findByRole('button', { name: /^Zurückziehen\W+neu@planungsbuero\.example$/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Einladung an neu@planungsbuero.example zurückziehen?' });
    expect(dialog.textContent).toContain('gilt dann nicht mehr für „Radweg Nord“');
    await user.click(within(dialog).getByRole('button', { name: 'Zurückziehen' }));
    expect(await screen.findByText('Die Einladung an neu@planungsbuero.example wurde zurückgezogen.')).toBeTruthy();
    expect(seen.map((s) => s.call)).toContain('DELETE /api/v1/t/demo/workspaces/w1/guest-invitations/i1');
  });

  it('others and archived workspaces: the button is disabled with the reason, and no invitations are asked for', async () => {
    const seen = server((req) => (new URL(req.url).pathname === '/api/v1/t/demo/workspaces/w1' ? json(ws({ can_manage: false, my_role: 'member' })) : undefined));
    show();
    const invite = (await screen.findByRole('button', { name: 'Gast einladen' })) as HTMLButtonElement;
    expect(invite.disabled).toBe(true);
    expect(document.getElementById(invite.getAttribute('aria-describedby')!)!.textContent).toMatch(/^Nur Eigentümerinnen und Eigentümer/);
    expect(screen.queryByRole('region', { name: 'Offene Einladungen an Gäste' })).toBeNull();
    expect(seen.some((s) => s.call.includes('guest-invitations'))).toBe(false);
  });

  it('an archived workspace says why guests cannot be invited', async () => {
    server((req) =>
      new URL(req.url).pathname === '/api/v1/t/demo/workspaces/w1' ? json(ws({ state: 'archived', archived_at: '2026-06-01T10:00:00Z', archived_by: ME })) : undefined,
    );
    show();
    const invite = (await screen.findByRole('button', { name: 'Gast einladen' })) as HTMLButtonElement;
    expect(invite.disabled).toBe(true);
    expect(document.getElementById(invite.getAttribute('aria-describedby')!)!.textContent).toMatch(/archiviert und nur lesbar/);
  });

  it('changing a guest’s role offers member and reader only', async () => {
    server(() => undefined);
    const user = userEvent.setup();
    show();
    const row = await screen.findByRole('row', { name: /^Gerda Gast/ });
    await user.click(within(row).getByRole('button', { name: /^Rolle ändern\W+Gerda Gast$/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Rolle von Gerda Gast ändern' });
    expect([...within(dialog).getByLabelText('Rolle').querySelectorAll('option')].map((o) => o.getAttribute('value'))).toEqual(['member', 'reader']);
  });

  it('partners (guests) see no organisation field: they may not read the address book', async () => {
    const seen = server(() => undefined);
    const user = userEvent.setup();
    show(ctx({ role: 'partner' }));
    await user.click(await screen.findByRole('button', { name: 'Gast einladen' }));
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).queryByLabelText(/^Organisation/)).toBeNull();
    expect(seen.some((s) => s.call.includes('/organisations'))).toBe(false);
  });
});
