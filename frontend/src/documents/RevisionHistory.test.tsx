import { render, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { DocsContext, type DocsContextValue } from './context';
import { Directory } from './directory';
import type { DocumentView, RevisionView } from './model';
import { RevisionHistory } from './RevisionHistory';
import { FolderCache } from './trail';

const ME = '0190a000-0000-7000-8000-000000000001';
const ctx: DocsContextValue = { slug: 'demo', role: 'staff', isAdmin: false, membershipId: ME, directory: new Directory(null), folders: new FolderCache() };

const rev = (n: number, extraction: RevisionView['extraction']): RevisionView => ({
  id: `0190a000-0000-7000-8000-00000000010${n}`,
  number: n,
  size_bytes: 1234,
  sha256: 'ab'.repeat(32),
  content_type: 'application/pdf',
  file_name: `v${n}.pdf`,
  comment: '',
  created_at: '2026-12-01T09:00:00Z',
  created_by: ME,
  author_name: 'Mara Manager',
  extraction,
});

const doc = { id: '0190a000-0000-7000-8000-000000000200', title: 'Bescheid', version: 3, access: 'write', current_revision_id: rev(3, 'not_extractable').id } as DocumentView;

beforeEach(async () => {
  await i18n.changeLanguage('de');
});

describe('RevisionHistory', () => {
  it('says which revisions are not searchable because their extraction exceeded a limit or failed', () => {
    render(
      <DocsContext.Provider value={ctx}>
        <RevisionHistory doc={doc} revisions={[rev(3, 'not_extractable'), rev(2, 'failed'), rev(1, 'done')]} onRestored={() => {}} />
      </DocsContext.Provider>,
    );
    const row = (n: number) => document.querySelector(`[data-revision="${n}"]`) as HTMLElement;
    expect(within(row(3)).getByText('Inhalt nicht durchsuchbar: Die Datei überschreitet die Grenzen der Textextraktion.')).toBeTruthy();
    expect(within(row(2)).getByText('Textextraktion fehlgeschlagen')).toBeTruthy();
    expect(within(row(1)).queryByText(/durchsuchbar|fehlgeschlagen/)).toBeNull();
    expect(screen.getAllByText(/nicht durchsuchbar/)).toHaveLength(1);
  });
});
