import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import i18n from '../i18n';
import { DocsContext, type DocsContextValue } from './context';
import { apiFetcher, Directory, type DirectoryFetcher } from './directory';
import type { ACLEntryView, FolderView } from './model';
import { usePersonName } from './parts';
import { PermissionsDialog } from './PermissionsDialog';
import { FolderCache } from './trail';

const ME = '0190a000-0000-7000-8000-000000000001';
const KONRAD = '0190a000-0000-7000-8000-000000000002';
const ALT = '0190a000-0000-7000-8000-000000000003';
const FOREIGN = '0190a000-0000-7000-8000-0000000000ff';
const BAU = '0190a000-0000-7000-8000-0000000000b1';

const people = [
  { membership_id: ME, display_name: 'Mara Manager', email: 'mara@amt.example', role: 'staff', active: true },
  { membership_id: KONRAD, display_name: 'Konrad Kollege', email: 'konrad@amt.example', role: 'staff', active: true },
  { membership_id: '0190a000-0000-7000-8000-000000000004', display_name: 'Konstanze Korn', email: 'korn@amt.example', role: 'committee', active: true },
  { membership_id: ALT, display_name: 'Anton Alt', email: 'alt@amt.example', role: 'staff', active: false },
];
const groups = [{ id: BAU, name: 'Bauaufsicht' }];

const ctxWith = (directory: Directory, role: DocsContextValue['role'] = 'staff'): DocsContextValue => ({
  slug: 'demo',
  role,
  isAdmin: role === 'admin',
  membershipId: ME,
  directory,
  folders: new FolderCache(),
});

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

beforeEach(async () => {
  resetCsrfToken();
  await i18n.changeLanguage('de');
});
afterEach(() => vi.unstubAllGlobals());

function Names({ ids }: { ids: string[] }) {
  const person = usePersonName();
  return (
    <ul>
      {ids.map((id) => (
        <li key={id} data-testid={id}>
          {person(id)}
        </li>
      ))}
    </ul>
  );
}

describe('usePersonName', () => {
  it('names colleagues through the directory in one batch; unknown ids stay "another member"', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const resolve = vi.fn(async (ids: string[]) => {
      await gate;
      return {
        members: people.filter((p) => ids.includes(p.membership_id)).map((p) => ({ id: p.membership_id, name: p.display_name, email: p.email, role: 'staff' as const, active: p.active })),
        groups: [],
      };
    });
    const fetcher: DirectoryFetcher = { resolve, search: vi.fn() };
    render(
      <DocsContext.Provider value={ctxWith(new Directory(fetcher))}>
        <Names ids={[ME, KONRAD, ALT, FOREIGN, 'kein-uuid']} />
      </DocsContext.Provider>,
    );
    // While loading: a neutral placeholder; the caller is "you" at once.
    expect(screen.getByTestId(KONRAD).textContent).toBe('…');
    expect(screen.getByTestId(ME).textContent).toBe('Ihnen');
    expect(screen.getByTestId('kein-uuid').textContent).toBe('einem anderen Mitglied');
    await act(async () => release());
    await waitFor(() => expect(screen.getByTestId(KONRAD).textContent).toBe('Konrad Kollege'));
    expect(screen.getByTestId(ALT).textContent).toBe('Anton Alt (deaktiviert)');
    expect(screen.getByTestId(FOREIGN).textContent).toBe('einem anderen Mitglied');
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(resolve.mock.calls[0][0].sort()).toEqual([KONRAD, ALT, FOREIGN].sort()); // not the caller, not a non-id
  });

  it('asks the server with ids=… and nothing at all for a partner', async () => {
    const fetchMock = vi.fn(async (req: Request) => {
      const url = new URL(req.url);
      expect(url.pathname).toBe('/api/v1/t/demo/directory');
      const ids = url.searchParams.get('ids')!.split(',');
      return json({ members: people.filter((p) => ids.includes(p.membership_id)), groups: [] });
    });
    vi.stubGlobal('fetch', fetchMock);
    const { unmount } = render(
      <DocsContext.Provider value={ctxWith(new Directory(apiFetcher('demo')))}>
        <Names ids={[KONRAD]} />
      </DocsContext.Provider>,
    );
    await waitFor(() => expect(screen.getByTestId(KONRAD).textContent).toBe('Konrad Kollege'));
    expect(fetchMock).toHaveBeenCalledTimes(1);
    unmount();
    fetchMock.mockClear();
    render(
      <DocsContext.Provider value={ctxWith(new Directory(null), 'partner')}>
        <Names ids={[KONRAD]} />
      </DocsContext.Provider>,
    );
    expect(screen.getByTestId(KONRAD).textContent).toBe('einem anderen Mitglied');
    await new Promise((r) => setTimeout(r, 20));
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

/** A fake server for the permissions dialog: ACL, directory (search and ids), grants. */
function fakeApi() {
  const entries: ACLEntryView[] = [
    { id: 'e1', principal: { type: 'group', group_id: BAU }, level: 'read', inherited: false, source_folder_id: 'f1', created_at: '2026-01-01T00:00:00Z', created_by: ME },
  ];
  const grants: unknown[] = [];
  const searches: string[] = [];
  const fetchMock = vi.fn(async (input: Request | string) => {
    // The CSRF token is fetched by URL, API calls come as requests.
    const req = typeof input === 'string' ? new Request(input) : input;
    const url = new URL(req.url);
    if (url.pathname === '/api/v1/auth/csrf') return json({ csrf_token: 'tok' });
    if (url.pathname === '/api/v1/t/demo/directory') {
      const ids = url.searchParams.get('ids')?.split(',') ?? [];
      const gids = url.searchParams.get('group_ids')?.split(',') ?? [];
      if (ids.length || gids.length) return json({ members: people.filter((p) => ids.includes(p.membership_id)), groups: groups.filter((g) => gids.includes(g.id)) });
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      searches.push(q);
      return json({
        members: people.filter((p) => p.active && (p.display_name.toLowerCase().includes(q) || p.email.includes(q))),
        groups: groups.filter((g) => g.name.toLowerCase().includes(q)),
      });
    }
    if (url.pathname === '/api/v1/t/demo/folders/f1/permissions') {
      if (req.method === 'PUT') {
        const body = (await req.json()) as { principal: ACLEntryView['principal']; level: ACLEntryView['level'] };
        expect(req.headers.get('X-CSRF-Token')).toBe('tok');
        grants.push(body);
        const e = { id: `e${entries.length + 1}`, ...body, inherited: false, source_folder_id: 'f1', created_at: '2026-01-02T00:00:00Z', created_by: ME };
        entries.push(e);
        return json(e);
      }
      return json({ folder_id: 'f1', inherit_acl: true, entries });
    }
    return json({ title: 'Nicht gefunden', status: 404, code: 'not-found' }, 404);
  });
  return { fetchMock, grants, searches };
}

const folder = { id: 'f1', name: 'Bauamt', access: 'manage', inherit_acl: true, created_at: '', created_by: ME, updated_at: '' } as FolderView;

describe('PermissionsDialog for a folder manager who is not an admin', () => {
  it('names the entries and grants to a colleague picked by type-ahead and keyboard', async () => {
    const srv = fakeApi();
    vi.stubGlobal('fetch', srv.fetchMock);
    const user = userEvent.setup();
    render(
      <DocsContext.Provider value={ctxWith(new Directory(apiFetcher('demo')))}>
        <PermissionsDialog open folder={folder} onClose={() => undefined} />
      </DocsContext.Provider>,
    );
    // The group entry is named through the directory.
    await screen.findByText('Gruppe Bauaufsicht');
    await user.selectOptions(screen.getByLabelText('Freigeben für'), 'user');
    const box = screen.getByRole('combobox', { name: 'Person suchen' });
    expect(box.getAttribute('aria-expanded')).toBe('false');
    expect(box.getAttribute('aria-describedby')).toBeTruthy();
    // Submitting without a choice: the field says so and takes the focus.
    await user.click(screen.getByRole('button', { name: 'Freigeben' }));
    await screen.findByText('Bitte wählen Sie eine Person aus den Vorschlägen.');
    expect(document.activeElement).toBe(box);
    expect(srv.grants).toHaveLength(0);

    await user.type(box, 'kon');
    const list = await screen.findByRole('listbox', { name: 'Vorschläge' });
    await waitFor(() => expect(within(list).getAllByRole('option')).toHaveLength(2));
    expect(box.getAttribute('aria-expanded')).toBe('true');
    expect(box.getAttribute('aria-controls')).toBe(list.id);
    expect(screen.getByRole('status', { hidden: true }).textContent).toContain('2 Vorschläge');
    expect(within(list).queryByText('Anton Alt')).toBeNull(); // deactivated: not offered
    // Arrow keys move the active option (aria-activedescendant), Enter takes it.
    await user.keyboard('{ArrowDown}');
    const first = within(list).getAllByRole('option')[0];
    expect(first.getAttribute('aria-selected')).toBe('true');
    expect(box.getAttribute('aria-activedescendant')).toBe(first.id);
    await user.keyboard('{ArrowDown}{ArrowUp}{Enter}');
    expect((box as HTMLInputElement).value).toBe('Konrad Kollege');
    expect(box.getAttribute('aria-expanded')).toBe('false');
    await user.selectOptions(screen.getByLabelText(/^Stufe/), 'write');
    await user.click(screen.getByRole('button', { name: 'Freigeben' }));
    await screen.findByText('Konrad Kollege hat jetzt die Stufe „Schreiben“.');
    expect(srv.grants).toEqual([{ principal: { type: 'user', membership_id: KONRAD }, level: 'write' }]);
    expect(screen.getByRole('table').textContent).toContain('Konrad Kollege');
    expect((screen.getByRole('combobox', { name: 'Person suchen' }) as HTMLInputElement).value).toBe(''); // ready for the next one
  });

  it('grants to a group found by name; Escape closes the list but not the dialog; no match is said', async () => {
    const srv = fakeApi();
    vi.stubGlobal('fetch', srv.fetchMock);
    const user = userEvent.setup();
    const onClose = vi.fn();
    render(
      <DocsContext.Provider value={ctxWith(new Directory(apiFetcher('demo')))}>
        <PermissionsDialog open folder={folder} onClose={onClose} />
      </DocsContext.Provider>,
    );
    await screen.findByText('Gruppe Bauaufsicht');
    await user.selectOptions(screen.getByLabelText('Freigeben für'), 'group');
    const box = screen.getByRole('combobox', { name: 'Gruppe suchen' });
    await user.type(box, 'xyz');
    expect(await screen.findAllByText('Keine Treffer für „xyz“.')).toHaveLength(2); // shown, and announced
    expect(box.getAttribute('aria-expanded')).toBe('false');
    await user.clear(box);
    await user.type(box, 'aufs');
    const option = await screen.findByRole('option', { name: 'Bauaufsicht' });
    await user.keyboard('{Escape}');
    expect(box.getAttribute('aria-expanded')).toBe('false');
    expect(onClose).not.toHaveBeenCalled();
    expect(option.isConnected).toBe(true);
    // The mouse works too.
    await user.keyboard('{ArrowDown}');
    await user.click(await screen.findByRole('option', { name: 'Bauaufsicht' }));
    expect((box as HTMLInputElement).value).toBe('Bauaufsicht');
    await user.click(screen.getByRole('button', { name: 'Freigeben' }));
    await screen.findByText('Gruppe Bauaufsicht hat jetzt die Stufe „Lesen“.');
    expect(srv.grants).toEqual([{ principal: { type: 'group', group_id: BAU }, level: 'read' }]);
    expect(srv.searches).toContain('aufs');
  });

  it('offers partners roles only', async () => {
    const srv = fakeApi();
    vi.stubGlobal('fetch', srv.fetchMock);
    render(
      <DocsContext.Provider value={ctxWith(new Directory(null), 'partner')}>
        <PermissionsDialog open folder={folder} onClose={() => undefined} />
      </DocsContext.Provider>,
    );
    await screen.findByText('Gruppe (unbekannte Gruppe)');
    const type = screen.getByLabelText('Freigeben für');
    expect((within(type).getByRole('option', { name: 'Person' }) as HTMLOptionElement).disabled).toBe(true);
    expect((within(type).getByRole('option', { name: 'Gruppe' }) as HTMLOptionElement).disabled).toBe(true);
    screen.getByText(/Externe Partnerinnen und Partner können keine Gruppen/);
    expect(srv.fetchMock.mock.calls.some(([r]) => String(typeof r === 'string' ? r : r.url).includes('/directory'))).toBe(false);
  });
});
