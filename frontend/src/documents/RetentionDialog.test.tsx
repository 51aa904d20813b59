import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import i18n from '../i18n';
import { DocsContext, type DocsContextValue } from './context';
import { Directory } from './directory';
import type { FolderView } from './model';
import { daysError } from './retention';
import { RetentionDialog } from './RetentionDialog';
import { FolderCache } from './trail';

const ROOT = '0190a000-0000-7000-8000-0000000000a1';
const SUB = '0190a000-0000-7000-8000-0000000000a2';
const folder = { id: SUB, parent_id: ROOT, name: 'Bauanträge', access: 'manage', inherit_acl: true } as FolderView;
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

let retention: Record<string, unknown>;
const puts: unknown[] = [];

beforeEach(async () => {
  resetCsrfToken();
  await i18n.changeLanguage('de');
  puts.length = 0;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init);
      const path = new URL(req.url).pathname;
      if (path === '/api/v1/auth/csrf') return json(200, { csrf_token: 't', header: 'X-CSRF-Token' });
      if (path === `/api/v1/t/demo/folders/${SUB}/retention` && req.method === 'GET') return json(200, retention);
      if (path === `/api/v1/t/demo/folders/${SUB}/retention` && req.method === 'PUT') {
        const body = JSON.parse(await req.text()) as { retention_days: number | null };
        puts.push(body.retention_days);
        retention = { ...retention, own_days: body.retention_days ?? undefined, effective_days: body.retention_days ?? 3650, source_folder_id: body.retention_days === null ? ROOT : SUB, source_folder_name: body.retention_days === null ? 'Akten' : 'Bauanträge' };
        return json(200, { ...folder, retention_days: body.retention_days ?? undefined });
      }
      return json(404, { status: 404, title: 'nicht gefunden', code: 'not-found' });
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

function renderDialog(role: DocsContextValue['role']) {
  const ctx: DocsContextValue = { slug: 'demo', role, isAdmin: role === 'admin', membershipId: '', directory: new Directory(null), folders: new FolderCache() };
  const saved = vi.fn();
  render(
    <DocsContext.Provider value={ctx}>
      <RetentionDialog open folder={folder} onClose={() => undefined} onSaved={saved} />
    </DocsContext.Provider>,
  );
  return saved;
}

describe('RetentionDialog', () => {
  it('shows a manager what applies and where from, with the controls disabled and why', async () => {
    retention = { effective_days: 3650, source_folder_id: ROOT, can_change: false };
    renderDialog('staff');
    expect((await screen.findByTestId('retention-in-force')).textContent).toBe('Es gilt: 3650 Tage, übernommen von einem übergeordneten Ordner.');
    const save = screen.getByRole('button', { name: 'Speichern' }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    const why = document.getElementById(save.getAttribute('aria-describedby')!);
    expect(why?.textContent).toContain('Nur die Administration Ihrer Organisation kann Aufbewahrungsfristen ändern');
    expect(screen.getByLabelText('Vom übergeordneten Ordner übernehmen').matches(':disabled')).toBe(true);
  });

  it('lets an admin set an own period, checks it, and back to inheriting', async () => {
    retention = { effective_days: 3650, source_folder_id: ROOT, source_folder_name: 'Akten', can_change: true };
    const saved = renderDialog('admin');
    expect((await screen.findByTestId('retention-in-force')).textContent).toContain('3650 Tage, übernommen vom Ordner „Akten“.');
    await userEvent.click(screen.getByLabelText('Eigene Frist festlegen'));
    const days = screen.getByLabelText('Tage im Papierkorb');
    await userEvent.clear(days);
    await userEvent.type(days, '12,5');
    await userEvent.click(screen.getByRole('button', { name: 'Speichern' }));
    await waitFor(() => expect(days.getAttribute('aria-invalid')).toBe('true'));
    expect(puts).toEqual([]);
    await userEvent.clear(days);
    await userEvent.type(days, '30');
    await userEvent.click(screen.getByRole('button', { name: 'Speichern' }));
    expect(await screen.findByText('Die Frist für diesen Ordner ist jetzt 30 Tage.')).toBeTruthy();
    expect(puts).toEqual([30]);
    expect(saved).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(screen.getByTestId('retention-in-force').textContent).toBe('Es gilt: 30 Tage, festgelegt für diesen Ordner.'));
    await userEvent.click(screen.getByLabelText('Vom übergeordneten Ordner übernehmen'));
    await userEvent.click(screen.getByRole('button', { name: 'Speichern' }));
    expect(await screen.findByText('Der Ordner übernimmt jetzt die Frist von oben.')).toBeTruthy();
    expect(puts).toEqual([30, null]);
  }, 20_000);
});

describe('daysError', () => {
  it('takes whole days from 0 to 36500', () => {
    expect(daysError('0')).toBeUndefined();
    expect(daysError(' 36500 ')).toBeUndefined();
    expect(daysError('')).toBe('docs.retention.daysRequired');
    expect(daysError('36501')).toBe('docs.retention.daysRange');
    expect(daysError('-1')).toBe('docs.retention.daysRange');
    expect(daysError('1.5')).toBe('docs.retention.daysRange');
  });
});
