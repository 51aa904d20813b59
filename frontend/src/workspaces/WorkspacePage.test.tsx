import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import { DocsContext, type DocsContextValue } from '../documents/context';
import { Directory } from '../documents/directory';
import { FolderCache } from '../documents/trail';
import i18n from '../i18n';
import type { Workspace, WorkspaceMember } from './model';
import { WorkspacePage } from './WorkspacePage';

const ME = '0190a000-0000-7000-8000-000000000001';
const OTHER = '0190a000-0000-7000-8000-000000000002';
const NAMES: Record<string, string> = { [ME]: 'Sabine Sachbearbeiterin', [OTHER]: 'Olaf Owner' };
const directory = new Directory({
  resolve: async (ids) => ({ members: ids.map((id) => ({ id, name: NAMES[id] ?? id, email: `${id}@x`, role: 'staff' as const, active: true })), groups: [] }),
  search: async () => ({ members: [], groups: [] }),
});
const ctx = (over: Partial<DocsContextValue> = {}): DocsContextValue => ({ slug: 'demo', role: 'staff', isAdmin: false, membershipId: ME, directory, folders: new FolderCache(), ...over });

const ws = (over: Partial<Workspace> = {}): Workspace => ({
  id: 'w1',
  name: 'Radweg Nord',
  purpose: 'Planung des Radwegs',
  file_number: '61-2026/1',
  starts_on: '2026-03-01',
  responsible_id: OTHER,
  visibility: 'open',
  state: 'active',
  folder_id: 'f1',
  version: 3,
  created_at: '2026-03-01T08:00:00Z',
  created_by: OTHER,
  updated_at: '2026-03-01T08:00:00Z',
  member_count: 1,
  can_manage: false,
  ...over,
});
const member = (id: string, role: WorkspaceMember['role'], over: Partial<WorkspaceMember> = {}): WorkspaceMember => ({
  workspace_id: 'w1',
  membership_id: id,
  role,
  added_by: OTHER,
  created_at: '2026-03-01T08:00:00Z',
  updated_at: '2026-03-01T08:00:00Z',
  // Empty: an older server without names; the directory answers instead.
  display_name: '',
  guest: false,
  active: true,
  ...over,
});

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const problem = (status: number, code: string, detail: string) =>
  new Response(JSON.stringify({ status, code, title: 'Konflikt', detail }), { status, headers: { 'Content-Type': 'application/problem+json' } });

/** A fake server: the CSRF token, and `handle` for every other request (all recorded with If-Match). */
function server(handle: (req: Request) => Promise<Response> | Response) {
  const seen: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init);
      if (req.url.endsWith('/auth/csrf')) return json({ csrf_token: 't' });
      const ifMatch = req.headers.get('If-Match');
      seen.push(`${req.method} ${new URL(req.url).pathname}${ifMatch ? ` ${ifMatch}` : ''}`);
      return handle(req);
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

describe('workspace page', () => {
  it('members see the consultations and the activity feed; a member from the agency may start a consultation', async () => {
    const seen = server((req) => {
      const path = new URL(req.url).pathname;
      if (path.endsWith('/members')) return json({ members: [member(ME, 'member')] });
      if (path.endsWith('/consultations')) return json({ consultations: [] });
      if (path.endsWith('/activity')) return json({ items: [{ id: 'a1', kind: 'member.joined', actor_id: ME, actor_name: 'Sabine Sachbearbeiterin', subject_name: '', object_type: 'workspace', object_id: 'w1', object_title: 'Radweg Nord', created_at: '2026-12-07T09:00:00Z' }] });
      return json(ws({ my_role: 'member' }));
    });
    show();
    await screen.findByRole('heading', { level: 1, name: 'Radweg Nord' });
    const cons = await screen.findByRole('region', { name: 'Beteiligungsverfahren' });
    expect(await within(cons).findByText('Noch keine Beteiligungsverfahren.')).toBeTruthy();
    expect((within(cons).getByRole('button', { name: 'Neues Verfahren' }) as HTMLButtonElement).disabled).toBe(false);
    const feed = screen.getByRole('region', { name: 'Aktivität' });
    expect(await within(feed).findByText('Sabine Sachbearbeiterin ist dem Arbeitsraum beigetreten')).toBeTruthy();
    expect(seen).toContain('GET /api/v1/t/demo/workspaces/w1/activity');
  });

  it('a reader may not start a consultation and reads why; a guest is not offered it', async () => {
    server((req) => {
      const path = new URL(req.url).pathname;
      if (path.endsWith('/members')) return json({ members: [] });
      if (path.endsWith('/consultations')) return json({ consultations: [] });
      if (path.endsWith('/activity')) return json({ items: [] });
      return json(ws({ my_role: 'reader' }));
    });
    const first = show();
    const b = (await screen.findByRole('button', { name: 'Neues Verfahren' })) as HTMLButtonElement;
    expect(b.disabled).toBe(true);
    expect(document.getElementById(b.getAttribute('aria-describedby')!)!.textContent).toMatch(/^Nur Eigentümer\/innen und Mitglieder/);
    first.unmount();
    show(ctx({ role: 'partner' }));
    await screen.findByRole('region', { name: 'Beteiligungsverfahren' });
    expect(screen.queryByRole('button', { name: 'Neues Verfahren' })).toBeNull();
  });

  it('a non-member loads neither consultations nor activity', async () => {
    const seen = server((req) => (req.url.endsWith('/members') ? json({ members: [] }) : json(ws())));
    show();
    await screen.findByRole('heading', { level: 1, name: 'Radweg Nord' });
    expect(screen.queryByRole('region', { name: 'Aktivität' })).toBeNull();
    expect(seen.some((x) => x.includes('/activity') || x.includes('/consultations'))).toBe(false);
  });

  it('a non-member sees details and the folder link, may join, and sees why the rest is disabled', async () => {
    server((req) => (req.url.endsWith('/members') ? json({ members: [member(OTHER, 'owner')] }) : json(ws())));
    show();
    await screen.findByRole('heading', { level: 1, name: 'Radweg Nord' });
    expect(screen.getByTestId('ws-folder').getAttribute('href')).toBe('/t/demo/documents/f/f1');
    expect(screen.getByText('61-2026/1')).toBeTruthy();
    const edit = screen.getByRole('button', { name: 'Angaben ändern' }) as HTMLButtonElement;
    expect(edit.disabled).toBe(true);
    const reason = document.getElementById(edit.getAttribute('aria-describedby')!)!;
    expect(reason.textContent).toMatch(/^Nur Eigentümerinnen und Eigentümer/);
    expect(reason.closest('[data-testid=reasons-details]')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Archivieren' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Beitreten' }) as HTMLButtonElement).disabled).toBe(false);
    expect((screen.getByRole('button', { name: 'Mitglied aufnehmen' }) as HTMLButtonElement).disabled).toBe(true);
    expect(within(screen.getByTestId('reasons-members')).getByText(/^Nur Eigentümerinnen/)).toBeTruthy();
    // Names come from the directory.
    await screen.findByRole('row', { name: /Olaf Owner/ });
  });

  it('an archived workspace shows the read-only banner; its owner may only restore', async () => {
    const seen = server((req) => {
      if (req.url.endsWith('/members')) return json({ members: [member(ME, 'owner')] });
      if (req.url.endsWith('/restore')) return json(ws({ state: 'active', can_manage: true, my_role: 'owner', version: 5 }));
      return json(ws({ state: 'archived', archived_at: '2026-06-01T10:00:00Z', archived_by: ME, can_manage: true, my_role: 'owner', responsible_id: ME, version: 4 }));
    });
    const user = userEvent.setup();
    show();
    await screen.findByText('Archiviert – nur lesbar');
    expect(screen.getByTestId('ws-archived-banner').textContent).toMatch(/lassen sich nicht ändern/);
    const edit = screen.getByRole('button', { name: 'Angaben ändern' }) as HTMLButtonElement;
    expect(edit.disabled).toBe(true);
    expect(document.getElementById(edit.getAttribute('aria-describedby')!)!.textContent).toMatch(/archiviert und nur lesbar/);
    await user.click(screen.getByRole('button', { name: 'Wiederherstellen' }));
    const dialog = await screen.findByRole('dialog', { name: '„Radweg Nord“ wiederherstellen?' });
    await user.click(within(dialog).getByRole('button', { name: 'Wiederherstellen' }));
    await screen.findByText('Der Arbeitsraum „Radweg Nord“ ist wieder aktiv.');
    expect(screen.queryByText('Archiviert – nur lesbar')).toBeNull();
    expect(seen).toContain('POST /api/v1/t/demo/workspaces/w1/restore "4"');
  });

  it('a change made elsewhere meanwhile (412) is said and the page reloads', async () => {
    let version = 3;
    const seen = server((req) => {
      if (req.url.endsWith('/members')) return json({ members: [member(ME, 'owner')] });
      if (req.method === 'PATCH') {
        version = 4;
        return problem(412, 'precondition-failed', 'Geändert.');
      }
      return json(ws({ can_manage: true, my_role: 'owner', version, name: version === 4 ? 'Radweg Nord (neu)' : 'Radweg Nord' }));
    });
    const user = userEvent.setup();
    show();
    await user.click(await screen.findByRole('button', { name: 'Angaben ändern' }));
    const dialog = await screen.findByRole('dialog', { name: '„Radweg Nord“ ändern' });
    const nameField = within(dialog).getByLabelText('Name des Arbeitsraums');
    await user.clear(nameField);
    await user.type(nameField, 'Radweg Süd');
    await user.click(within(dialog).getByRole('button', { name: 'Speichern' }));
    await screen.findByText('Jemand anderes hat den Arbeitsraum inzwischen geändert');
    await screen.findByRole('heading', { level: 1, name: 'Radweg Nord (neu)' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(seen).toContain('PATCH /api/v1/t/demo/workspaces/w1 "3"');
  });

  it('the last owner’s refusal is shown as the server words it', async () => {
    const last = 'Ein Arbeitsraum braucht mindestens eine Eigentümerin oder einen Eigentümer.';
    server((req) => {
      if (req.method === 'PUT') return problem(409, 'conflict', last);
      if (req.url.endsWith('/members')) return json({ members: [member(ME, 'owner')] });
      return json(ws({ can_manage: true, my_role: 'owner', responsible_id: ME }));
    });
    const user = userEvent.setup();
    show();
    // The caller's own row says so.
    const row = await screen.findByRole('row', { name: /^Sabine Sachbearbeiterin \(Sie\) verantwortlich/ });
    await user.click(within(row).getByRole('button', { name: /^Rolle ändern/ }));
    const dialog = await screen.findByRole('dialog', { name: /^Rolle von/ });
    await user.selectOptions(within(dialog).getByLabelText('Rolle'), 'member');
    await user.click(within(dialog).getByRole('button', { name: 'Speichern' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain(last);
    // The responsible person cannot leave: disabled, with the reason.
    const leave = screen.getByRole('button', { name: 'Verlassen' }) as HTMLButtonElement;
    expect(leave.disabled).toBe(true);
    expect(document.getElementById(leave.getAttribute('aria-describedby')!)!.textContent).toMatch(/verantwortliche Person kann/);
  });
});
