import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import i18n from '../i18n';
import type { TenantInfo } from './AdminConsole';
import { GroupsPage } from './GroupsPage';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });
const G1 = '0190a000-0000-7000-8000-0000000000b1';

let groups: { id: string; name: string; description: string; member_count: number; created_at: string; updated_at: string }[];
const deleted: string[] = [];

beforeEach(async () => {
  resetCsrfToken();
  await i18n.changeLanguage('de');
  deleted.length = 0;
  groups = [{ id: G1, name: 'Bauamt', description: 'Hochbau', member_count: 2, created_at: '2026-12-01T10:00:00Z', updated_at: '2026-12-01T10:00:00Z' }];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init);
      const path = new URL(req.url).pathname;
      if (path === '/api/v1/auth/csrf') return json(200, { csrf_token: 't', header: 'X-CSRF-Token' });
      if (path === '/api/v1/t/amt/groups' && req.method === 'GET') return json(200, { groups });
      if (path === '/api/v1/t/amt/groups' && req.method === 'POST') {
        const body = JSON.parse(await req.text()) as { name: string; description?: string };
        if (groups.some((g) => g.name.toLowerCase() === body.name.toLowerCase())) {
          return json(409, { status: 409, title: 'Konflikt', detail: 'Eine Gruppe mit diesem Namen existiert bereits.', code: 'conflict', field: 'name' });
        }
        const g = { id: '0190a000-0000-7000-8000-0000000000b2', name: body.name, description: body.description ?? '', member_count: 0, created_at: '', updated_at: '' };
        groups = [...groups, g];
        return json(201, g);
      }
      if (path === `/api/v1/t/amt/groups/${G1}` && req.method === 'GET') return json(200, { ...groups[0], grant_count: 4 });
      if (path === `/api/v1/t/amt/groups/${G1}` && req.method === 'DELETE') {
        deleted.push(G1);
        return new Response(null, { status: 204 });
      }
      return json(404, { status: 404, title: 'nicht gefunden', code: 'not-found' });
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

function renderPage() {
  return render(
    <MemoryRouter initialEntries={['/t/amt/admin/groups']}>
      <Routes>
        <Route path="/t/amt/admin/groups" element={<GroupsPage tenant={{ slug: 'amt', name: 'Amt', settings: {} } as TenantInfo} />} />
      </Routes>
    </MemoryRouter>,
  );
}

describe('GroupsPage', () => {
  it('lists groups with member counts and creates one; a name taken in another case is refused at the field', async () => {
    renderPage();
    const row = (await screen.findByRole('link', { name: 'Bauamt' })).closest('tr')!;
    expect(within(row).getByText('2 Mitglieder')).toBeTruthy();

    await userEvent.type(screen.getByLabelText('Name'), 'BAUAMT');
    await userEvent.click(screen.getByRole('button', { name: 'Gruppe anlegen' }));
    const name = screen.getByLabelText('Name');
    await waitFor(() => expect(name.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById('group-new-name-error')?.textContent).toContain('Eine Gruppe mit diesem Namen existiert bereits.');

    await userEvent.clear(name);
    await userEvent.type(name, 'Kämmerei');
    await userEvent.click(screen.getByRole('button', { name: 'Gruppe anlegen' }));
    expect(await screen.findByText('Die Gruppe „Kämmerei“ wurde angelegt.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Kämmerei' })).toBeTruthy();
    expect(name.getAttribute('aria-invalid')).toBeNull();
  }, 20_000);

  it('asks before deleting and says how many folder permissions go with the group', async () => {
    renderPage();
    await screen.findByRole('link', { name: 'Bauamt' });
    await userEvent.click(screen.getByRole('button', { name: /Gruppe löschen.*Bauamt/ }));
    const consequences = await screen.findByTestId('delete-group-consequences');
    expect(consequences.textContent).toContain('4 Ordnerberechtigungen, die der Gruppe erteilt wurden, werden entfernt.');
    expect(consequences.textContent).toContain('Die 2 Mitglieder verlieren den Zugriff');
    expect(deleted).toEqual([]);
    await userEvent.click(screen.getByRole('button', { name: 'Ja, Gruppe löschen' }));
    expect(await screen.findByText('Die Gruppe „Bauamt“ wurde gelöscht.')).toBeTruthy();
    expect(deleted).toEqual([G1]);
    expect(screen.queryByRole('link', { name: 'Bauamt' })).toBeNull();
  });
});
