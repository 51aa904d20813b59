import { describe, expect, it } from 'vitest';
import { DEFAULT_SORT, entryName, hasMore, mergeById, nextSort, parseSort, sortEntries, sortToParams } from './listing';
import type { DocumentView, FolderView } from './model';

const folder = (name: string, updated: string): FolderView =>
  ({ id: `f-${name}`, name, updated_at: updated, created_at: updated, created_by: 'm', access: 'manage', inherit_acl: true }) as FolderView;
const doc = (title: string, updated: string, size?: number): DocumentView =>
  ({ id: `d-${title}`, title, updated_at: updated, size_bytes: size, access: 'write', version: 1, tags: [], metadata: {} }) as unknown as DocumentView;

const folders = [folder('Protokolle', '2026-03-01T10:00:00Z'), folder('Anträge 10', '2026-01-01T10:00:00Z'), folder('Anträge 9', '2026-02-01T10:00:00Z')];
const docs = [doc('Übersicht.pdf', '2026-03-05T10:00:00Z', 2000), doc('abschluss.docx', '2026-03-02T10:00:00Z', 50), doc('Zahlen.xlsx', '2026-03-09T10:00:00Z')];
const names = (sort: Parameters<typeof sortEntries>[2]) => sortEntries(folders, docs, sort).map(entryName);

describe('folder listing', () => {
  it('puts folders first and sorts names the German way (case, umlauts, numbers)', () => {
    expect(names({ key: 'name', dir: 'asc' })).toEqual(['Anträge 9', 'Anträge 10', 'Protokolle', 'abschluss.docx', 'Übersicht.pdf', 'Zahlen.xlsx']);
    expect(names({ key: 'name', dir: 'desc' })).toEqual(['Protokolle', 'Anträge 10', 'Anträge 9', 'Zahlen.xlsx', 'Übersicht.pdf', 'abschluss.docx']);
  });

  it('sorts by modification date, newest first when descending', () => {
    expect(names({ key: 'modified', dir: 'desc' })).toEqual(['Protokolle', 'Anträge 9', 'Anträge 10', 'Zahlen.xlsx', 'Übersicht.pdf', 'abschluss.docx']);
  });

  it('sorts documents by size (no content counts as smallest); folders keep their name order', () => {
    expect(names({ key: 'size', dir: 'asc' })).toEqual(['Anträge 9', 'Anträge 10', 'Protokolle', 'Zahlen.xlsx', 'abschluss.docx', 'Übersicht.pdf']);
    expect(names({ key: 'size', dir: 'desc' }).slice(3)).toEqual(['Übersicht.pdf', 'abschluss.docx', 'Zahlen.xlsx']);
  });

  it('keeps the sort in the URL and toggles it per column', () => {
    expect(parseSort(new URLSearchParams(''))).toEqual(DEFAULT_SORT);
    expect(parseSort(new URLSearchParams('sort=size&dir=desc'))).toEqual({ key: 'size', dir: 'desc' });
    expect(parseSort(new URLSearchParams('sort=evil&dir=desc'))).toEqual(DEFAULT_SORT);
    expect(parseSort(new URLSearchParams('sort=modified&dir=sideways'))).toEqual({ key: 'modified', dir: 'asc' });
    expect(nextSort({ key: 'name', dir: 'asc' }, 'name')).toEqual({ key: 'name', dir: 'desc' });
    expect(nextSort({ key: 'name', dir: 'desc' }, 'modified')).toEqual({ key: 'modified', dir: 'desc' });
    expect(nextSort({ key: 'modified', dir: 'desc' }, 'size')).toEqual({ key: 'size', dir: 'asc' });
    const p = sortToParams({ key: 'size', dir: 'desc' }, new URLSearchParams('x=1'));
    expect(p.toString()).toBe('x=1&sort=size&dir=desc');
    expect(sortToParams(DEFAULT_SORT, p).toString()).toBe('x=1');
  });

  it('grows the list page by page without duplicates', () => {
    const a = [{ id: '1', v: 'a' }, { id: '2', v: 'b' }];
    expect(mergeById(a, [{ id: '2', v: 'B' }, { id: '3', v: 'c' }])).toEqual([{ id: '1', v: 'a' }, { id: '2', v: 'B' }, { id: '3', v: 'c' }]);
    expect(mergeById([], [{ id: '1' }, { id: '1' }])).toEqual([{ id: '1' }]);
    expect(hasMore({})).toBe(false);
    expect(hasMore({ documents: 'c2' })).toBe(true);
  });
});
