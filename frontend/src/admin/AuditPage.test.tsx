import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import i18n from '../i18n';
import { AuditPage } from './AuditPage';
import type { TenantInfo } from './AdminConsole';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const catalog = {
  modules: [
    { key: 'auth', label: { de: 'Anmeldung und Sicherheit', en: 'Sign-in and security' } },
    { key: 'documents', label: { de: 'Dokumente', en: 'Documents' } },
  ],
  actions: [
    { key: 'auth.logout', module: 'auth', label: { de: 'Abmeldung', en: 'Signed out' } },
    { key: 'documents.revision.restored', module: 'documents', label: { de: 'Frühere Fassung wiederhergestellt', en: 'Earlier version restored' } },
    { key: 'documents.document.purged', module: 'documents', label: { de: 'Dokument endgültig gelöscht', en: 'Document deleted for good' } },
  ],
  types: [
    { key: 'document', label: { de: 'Dokument', en: 'Document' } },
    { key: 'folder', label: { de: 'Ordner', en: 'Folder' } },
    { key: 'user', label: { de: 'Konto', en: 'Account' } },
  ],
};

const hash = 'ab'.repeat(32);
const entries = [
  {
    seq: 7,
    id: 'e7',
    occurred_at: '2026-05-04T08:30:00Z',
    actor_user_id: 'u1',
    actor_label: 'anna@amt.de',
    actor: { type: 'user', id: 'u1', name: 'Anna Amsel', email: 'anna@amt.de', state: 'live', link: { kind: 'member', id: 'm1' } },
    action: 'documents.revision.restored',
    module: 'documents',
    target_type: 'document',
    target_id: 'd1',
    object: { type: 'document', id: 'd1', name: 'Bescheid', state: 'live', link: { kind: 'document', id: 'd1' } },
    related: [{ key: 'folder_id', type: 'folder', id: 'f1', name: 'Akten', state: 'live', link: { kind: 'folder', id: 'f1' } }],
    client_ip: '192.0.2.7',
    request_id: 'req-7',
    details: { number: '3', restored_from: 'r1' },
    hash,
    verified: true,
  },
  {
    seq: 6,
    id: 'e6',
    occurred_at: '2026-05-04T08:00:00Z',
    actor_label: '',
    action: 'documents.document.purged',
    module: 'documents',
    target_type: 'document',
    target_id: 'd2',
    object: { type: 'document', id: 'd2', name: 'Entwurf', state: 'deleted' },
    client_ip: '',
    request_id: '',
    details: { title: 'Entwurf' },
    hash: 'cd'.repeat(32),
    verified: true,
  },
  {
    seq: 5,
    id: 'e5',
    occurred_at: '2026-05-04T07:00:00Z',
    actor_label: '',
    action: 'documents.document.purged',
    module: 'documents',
    target_type: 'document',
    target_id: 'd3',
    object: { type: 'document', id: 'd3', name: '', state: 'deleted' },
    client_ip: '',
    request_id: '',
    details: {},
    hash: 'ef'.repeat(32),
    verified: false,
  },
];

let auditQueries: URLSearchParams[] = [];

beforeEach(async () => {
  resetCsrfToken();
  auditQueries = [];
  await i18n.changeLanguage('de');
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init);
      const url = new URL(req.url);
      if (url.pathname === '/api/v1/t/amt/members') return json(200, { members: [] });
      if (url.pathname === '/api/v1/t/amt/audit/actions') return json(200, catalog);
      if (url.pathname === '/api/v1/t/amt/audit') {
        auditQueries.push(url.searchParams);
        return json(200, { entries });
      }
      return json(404, { status: 404, title: 'not found', code: 'not-found' });
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

const renderPage = () =>
  render(
    <MemoryRouter>
      <AuditPage tenant={{ slug: 'amt', name: 'Amt' } as TenantInfo} />
    </MemoryRouter>,
  );

describe('the audit log page', () => {
  it('shows labels, people and objects by name with links, and folds the technical fields away', async () => {
    renderPage();
    const row = (await screen.findByText('Frühere Fassung wiederhergestellt', { selector: 'td' })).closest('tr')!;
    const cells = within(row).getAllByRole('cell');
    expect(within(row).getByText('documents.revision.restored').closest('details')).toBeTruthy();
    expect(within(row).getByRole('link', { name: 'Anna Amsel' }).getAttribute('href')).toBe('/t/amt/admin/members?q=anna%40amt.de');
    expect(cells[1].textContent).toContain('anna@amt.de');
    expect(within(row).getByRole('link', { name: 'Bescheid' }).getAttribute('href')).toBe('/t/amt/documents/d/d1');
    expect(within(row).getByRole('link', { name: 'Akten' }).getAttribute('href')).toBe('/t/amt/documents/f/f1');
    expect(cells[3].textContent).toContain('Dokument');
    // Time in the local format, the machine form in the time element.
    expect(row.querySelector('time')?.getAttribute('datetime')).toBe('2026-05-04T08:30:00Z');
    expect(cells[0].textContent).toMatch(/2026/);
    // Ids, address, hash and raw details only inside the closed <details>.
    const tech = row.querySelector('details')!;
    expect(tech.open).toBe(false);
    expect(within(tech).getByText('Technische Angaben').tagName).toBe('SUMMARY');
    for (const hidden of [hash, '192.0.2.7', 'req-7', 'd1', 'u1', 'restored_from']) {
      expect(tech.textContent).toContain(hidden);
      const outside = [...cells].slice(0, 5).map((c) => c.textContent).join(' ');
      expect(outside).not.toContain(hidden);
    }
    // Deleted objects: the last known name, or just "gelöscht"; no link.
    const purged = screen.getAllByText('Dokument endgültig gelöscht', { selector: 'td' }).map((c) => c.closest('tr')!);
    expect(purged[0].textContent).toContain('Entwurf (gelöscht)');
    expect(within(purged[0]).queryByRole('link')).toBeNull();
    expect(within(purged[1]).getAllByRole('cell')[3].textContent).toBe('Dokumentgelöscht');
    expect(within(purged[1]).getAllByRole('cell')[1].textContent).toBe('System');
    expect(within(purged[1]).getByText('fehlerhaft')).toBeTruthy();
  });

  it('speaks English when the UI does', async () => {
    await i18n.changeLanguage('en');
    renderPage();
    const row = (await screen.findByText('Earlier version restored', { selector: 'td' })).closest('tr')!;
    expect(within(row).getByText('Technical details').tagName).toBe('SUMMARY');
    expect(row.textContent).toContain('Document');
    expect(screen.getByText('Document deleted for good', { selector: 'option' })).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: 'Technical' })).toBeTruthy();
  });

  it('filters by every action of the catalogue, grouped by module', async () => {
    renderPage();
    await screen.findByText('Frühere Fassung wiederhergestellt', { selector: 'td' });
    const select = screen.getByLabelText<HTMLSelectElement>('Ereignis');
    const groups = [...select.querySelectorAll('optgroup')];
    expect(groups.map((g) => g.label)).toEqual(['Anmeldung und Sicherheit', 'Dokumente']);
    const values = [...select.querySelectorAll('option')].map((o) => o.value);
    for (const a of catalog.actions) expect(values).toContain(a.key);
    expect(values).toEqual(['', 'auth.', 'auth.logout', 'documents.', 'documents.document.purged', 'documents.revision.restored']);
    expect(groups[1].querySelector('option')?.textContent).toBe('Alle Ereignisse: Dokumente');
    await userEvent.selectOptions(select, 'documents.');
    await userEvent.click(screen.getByRole('button', { name: 'Filtern' }));
    await vi.waitFor(() => expect(auditQueries.at(-1)?.get('action')).toBe('documents.'));
  });
});
