import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import { DocsContext, type DocsContextValue } from '../documents/context';
import { Directory } from '../documents/directory';
import { FolderPickerDialog } from '../documents/FolderPickerDialog';
import type { FolderView } from '../documents/model';
import { FolderCache } from '../documents/trail';
import i18n from '../i18n';
import { paperContentURL, type Paper } from './model';
import { PaperList } from './Papers';

const ME = '0190a000-0000-7000-8000-000000000001';
const ctx: DocsContextValue = { slug: 'demo', role: 'committee', isAdmin: false, membershipId: ME, directory: new Directory(null), folders: new FolderCache() };
const inCtx = (ui: React.ReactNode) =>
  render(
    <MemoryRouter>
      <DocsContext.Provider value={ctx}>{ui}</DocsContext.Provider>
    </MemoryRouter>,
  );

const paper = (over: Partial<Paper> = {}): Paper => ({
  id: 'p1',
  agenda_item_id: 'i1',
  document_id: 'd1',
  revision_id: 'r1',
  frozen_at: '2026-05-04T18:00:00Z',
  added_by: ME,
  added_at: '2026-05-04T17:00:00Z',
  title: 'Lageplan Nord',
  can_open_document: false,
  file: { revision_id: 'r1', number: 2, file_name: 'lageplan.pdf', content_type: 'application/pdf', size_bytes: 2048, sha256: 'x', created_at: '2026-05-04T16:00:00Z', available: true },
  ...over,
});

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

beforeEach(async () => {
  resetCsrfToken();
  await i18n.changeLanguage('de');
});
afterEach(() => vi.unstubAllGlobals());

describe('session papers', () => {
  it('the paper address is the agenda item’s, inline for the preview', () => {
    expect(paperContentURL('demo', 'i 1', 'd1', true)).toBe('/api/v1/t/demo/agenda-items/i%201/papers/d1/content?disposition=inline');
    expect(paperContentURL('demo', 'i1', 'd1')).toBe('/api/v1/t/demo/agenda-items/i1/papers/d1/content');
  });

  it('a member who may not read the folder sees the frozen paper and opens it in the preview', async () => {
    const user = userEvent.setup();
    inCtx(<PaperList papers={[paper()]} canDetach={false} onDetach={() => undefined} />);
    const row = screen.getByText('Lageplan Nord').closest('li')!;
    expect(within(row).queryByRole('link', { name: 'Lageplan Nord' })).toBeNull();
    expect(within(row).getByText('Fassung 2 (eingefroren)')).toBeTruthy();
    expect(screen.queryByText(/nicht lesen dürfen/)).toBeNull();
    const show = within(row).getByRole('button', { name: /^Ansehen/ });
    expect(show.getAttribute('aria-expanded')).toBe('false');
    await user.click(show);
    expect(show.getAttribute('aria-expanded')).toBe('true');
    const frame = within(row).getByTestId('preview-pdf');
    expect(frame.getAttribute('src')).toBe('/api/v1/t/demo/agenda-items/i1/papers/d1/content?disposition=inline');
    expect(within(row).getByRole('heading', { name: 'Vorschau: Lageplan Nord' })).toBeTruthy();
  });

  it('says why a paper cannot be read yet or any more', () => {
    inCtx(
      <PaperList
        papers={[paper({ id: 'a', title: 'Entwurf', file: undefined, revision_id: undefined }), paper({ id: 'b', title: 'Alt', file: { ...paper().file!, available: false } })]}
        canDetach={false}
        onDetach={() => undefined}
      />,
    );
    expect(screen.getByText(/sobald sie mit der Einladung eingefroren ist/)).toBeTruthy();
    expect(screen.getByText(/liegt im Papierkorb/)).toBeTruthy();
    expect(screen.queryAllByRole('button', { name: /^Ansehen/ })).toHaveLength(0);
  });
});

describe('folder picker', () => {
  const folder = (over: Partial<FolderView>): FolderView =>
    ({ id: 'f1', name: 'Bauausschuss', inherit_acl: true, access: 'write', created_at: '', created_by: ME, updated_at: '', ...over }) as FolderView;

  it('starts in the given folder and says why a read-only folder cannot be chosen, and who can', async () => {
    let access: FolderView['access'] = 'write';
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const req = input instanceof Request ? input : new Request(String(input), init);
        const path = new URL(req.url).pathname;
        if (path.endsWith('/children')) return json({ folders: [] });
        if (path.endsWith('/folders/f1')) return json(folder({ access }));
        return json({ folders: [] });
      }),
    );
    const { unmount } = inCtx(<FolderPickerDialog open title="Ordner wählen" confirmLabel="Hier ablegen und genehmigen" startFolderId="f1" onPick={async () => undefined} onClose={() => undefined} />);
    await screen.findByText('Bauausschuss', { selector: 'strong' });
    expect((screen.getByRole('button', { name: 'Hier ablegen und genehmigen' }) as HTMLButtonElement).disabled).toBe(false);
    unmount();
    ctx.folders = new FolderCache();
    access = 'read';
    inCtx(<FolderPickerDialog open title="Ordner wählen" confirmLabel="Hier ablegen und genehmigen" startFolderId="f1" onPick={async () => undefined} onClose={() => undefined} />);
    const reason = await screen.findByTestId('picker-blocked');
    expect(reason.textContent).toContain('nur lesen');
    expect(reason.textContent).toContain('Schreibrecht');
    const button = screen.getByRole('button', { name: 'Hier ablegen und genehmigen' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.getAttribute('aria-describedby')).toBe(reason.id);
  });
});
