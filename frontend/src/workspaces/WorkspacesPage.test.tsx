import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import { DocsContext, type DocsContextValue } from '../documents/context';
import { Directory } from '../documents/directory';
import { FolderCache } from '../documents/trail';
import i18n from '../i18n';
import type { Workspace } from './model';
import { WorkspacesPage } from './WorkspacesPage';

const ME = '0190a000-0000-7000-8000-000000000001';
const ctx = (over: Partial<DocsContextValue> = {}): DocsContextValue => ({ slug: 'demo', role: 'staff', isAdmin: false, membershipId: ME, directory: new Directory(null), folders: new FolderCache(), ...over });

const ws = (id: string, over: Partial<Workspace> = {}): Workspace => ({
  id,
  name: `Raum ${id}`,
  purpose: '',
  file_number: '',
  responsible_id: ME,
  visibility: 'open',
  state: 'active',
  version: 1,
  created_at: '2026-03-01T08:00:00Z',
  created_by: ME,
  updated_at: '2026-03-01T08:00:00Z',
  member_count: 3,
  can_manage: false,
  ...over,
});

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function server(handle: (req: Request) => Response) {
  const seen: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init);
      if (req.url.endsWith('/auth/csrf')) return json({ csrf_token: 't' });
      const u = new URL(req.url);
      seen.push(`${req.method} ${u.pathname}${u.search}`);
      return handle(req);
    }),
  );
  return seen;
}

const show = (value: DocsContextValue = ctx(), at = '/t/demo/workspaces') =>
  render(
    <MemoryRouter initialEntries={[at]}>
      <DocsContext.Provider value={value}>
        <WorkspacesPage />
      </DocsContext.Provider>
    </MemoryRouter>,
  );

beforeEach(async () => {
  resetCsrfToken();
  await i18n.changeLanguage('de');
});
afterEach(() => vi.unstubAllGlobals());

describe('workspace list', () => {
  it('staff see "all" disabled with the reason; the directory offers joining', async () => {
    const seen = server((req) => {
      if (req.method === 'POST') return json(ws('b', { my_role: 'member', member_count: 4 }));
      const scope = new URL(req.url).searchParams.get('scope');
      return json({ workspaces: scope === 'directory' ? [ws('a', { my_role: 'owner' }), ws('b')] : [] });
    });
    const user = userEvent.setup();
    show();
    await screen.findByText(/Sie gehören noch keinem Arbeitsraum an/);
    const scope = screen.getByLabelText('Anzeigen') as HTMLSelectElement;
    expect((within(scope).getByRole('option', { name: 'Alle Arbeitsräume' }) as HTMLOptionElement).disabled).toBe(true);
    expect(screen.getByText('„Alle Arbeitsräume“ können nur Administratorinnen und Administratoren wählen.')).toBeTruthy();
    await user.selectOptions(scope, 'directory');
    await user.click(screen.getByRole('button', { name: 'Filtern' }));
    const card = (await screen.findByText('Raum b')).closest('li')!;
    expect(within(card).getByText('Kein Mitglied')).toBeTruthy();
    expect(within((await screen.findByText('Raum a')).closest('li')!).queryByRole('button')).toBeNull();
    await user.click(within(card).getByRole('button', { name: /^Beitreten/ }));
    await screen.findByText('Sie sind dem Arbeitsraum „Raum b“ beigetreten.');
    expect(within(card).getByText('4 Mitglieder')).toBeTruthy();
    expect(seen).toContain('GET /api/v1/t/demo/workspaces?scope=directory&state=active&limit=20');
    expect(seen).toContain('POST /api/v1/t/demo/workspaces/b/join');
  });

  it('pages with the cursor; administrators may choose all, archived ones included', async () => {
    const seen = server((req) => {
      const cursor = new URL(req.url).searchParams.get('cursor');
      return json(cursor ? { workspaces: [ws('z', { state: 'archived' })] } : { workspaces: [ws('a')], next_cursor: 'c2' });
    });
    const user = userEvent.setup();
    show(ctx({ role: 'admin', isAdmin: true }), '/t/demo/workspaces?scope=all&state=any');
    await screen.findByText('Raum a');
    await user.click(screen.getByRole('button', { name: 'Nächste Seite' }));
    const card = (await screen.findByText('Raum z')).closest('li')!;
    expect(within(card).getByText('Archiviert')).toBeTruthy();
    expect(screen.getByText('Seite 2')).toBeTruthy();
    expect(seen).toEqual(['GET /api/v1/t/demo/workspaces?scope=all&state=any&limit=20', 'GET /api/v1/t/demo/workspaces?scope=all&state=any&limit=20&cursor=c2']);
  });

  it('guests (partners) see the workspaces they were invited into, with a word on them, and neither the directory nor the create button', async () => {
    const seen = server(() => json({ workspaces: [ws('a', { my_role: 'reader', visibility: 'closed' })] }));
    show(ctx({ role: 'partner' }), '/t/demo/workspaces?scope=directory');
    await screen.findByText('Raum a');
    expect(screen.getByTestId('ws-guest-lead').textContent).toMatch(/^Sie sind als Gast in diese Arbeitsräume eingeladen/);
    expect(screen.queryByRole('button', { name: 'Neuer Arbeitsraum' })).toBeNull();
    expect(screen.queryByLabelText('Anzeigen')).toBeNull();
    // An address asking for the directory still lists only their own.
    expect(seen).toEqual(['GET /api/v1/t/demo/workspaces?scope=mine&state=active&limit=20']);
  });

  it('a guest without workspaces is told how to get back into one', async () => {
    server(() => json({ workspaces: [] }));
    show(ctx({ role: 'partner' }));
    expect(await screen.findByText(/Ihre Ansprechperson kann Sie wieder in einen Arbeitsraum aufnehmen/)).toBeTruthy();
  });
});
