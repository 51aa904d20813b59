// The folder browser's list: subfolders and documents in one table, sorted on the client
// (the API lists folders by name and documents by title, with no other order), and
// grown page by page with the API's cursors ("load more").
import type { DocumentView, FolderView } from './model';

export type SortKey = 'name' | 'modified' | 'size';
export type SortDir = 'asc' | 'desc';
export interface Sort {
  key: SortKey;
  dir: SortDir;
}

export const DEFAULT_SORT: Sort = { key: 'name', dir: 'asc' };
const KEYS: readonly SortKey[] = ['name', 'modified', 'size'];

export type Entry = { kind: 'folder'; item: FolderView } | { kind: 'document'; item: DocumentView };

/** Reads the sort from the URL (?sort=modified&dir=desc); anything unknown gives the default. */
export function parseSort(params: URLSearchParams): Sort {
  const key = params.get('sort') as SortKey | null;
  const dir = params.get('dir');
  if (!key || !KEYS.includes(key)) return DEFAULT_SORT;
  return { key, dir: dir === 'desc' ? 'desc' : 'asc' };
}

/** The sort after a click on a column header: the same column flips, another starts ascending (dates: newest first). */
export function nextSort(current: Sort, key: SortKey): Sort {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: key === 'modified' ? 'desc' : 'asc' };
}

/** Writes the sort into URL parameters (the default is left out). */
export function sortToParams(sort: Sort, params: URLSearchParams): URLSearchParams {
  const out = new URLSearchParams(params);
  if (sort.key === DEFAULT_SORT.key && sort.dir === DEFAULT_SORT.dir) {
    out.delete('sort');
    out.delete('dir');
  } else {
    out.set('sort', sort.key);
    out.set('dir', sort.dir);
  }
  return out;
}

const collator = (lng: string) => new Intl.Collator(lng === 'en' ? 'en' : 'de', { numeric: true, sensitivity: 'base' });

export function entryName(e: Entry): string {
  return e.kind === 'folder' ? e.item.name : e.item.title;
}

function time(iso: string | undefined): number {
  const t = iso ? Date.parse(iso) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

/**
 * Folders first, then documents, each group in the chosen order; ties by name. Folders
 * have no size: under the size sort they keep their name order.
 */
export function sortEntries(folders: FolderView[], docs: DocumentView[], sort: Sort, lng = 'de'): Entry[] {
  const col = collator(lng);
  const byName = (a: Entry, b: Entry) => col.compare(entryName(a), entryName(b));
  const sign = sort.dir === 'asc' ? 1 : -1;
  const cmp = (a: Entry, b: Entry): number => {
    let c = 0;
    if (sort.key === 'name') c = byName(a, b) * sign;
    else if (sort.key === 'modified') c = (time(a.item.updated_at) - time(b.item.updated_at)) * sign;
    else if (a.kind === 'document' && b.kind === 'document') c = ((a.item.size_bytes ?? -1) - (b.item.size_bytes ?? -1)) * sign;
    return c || byName(a, b);
  };
  const f: Entry[] = folders.map((item) => ({ kind: 'folder', item }));
  const d: Entry[] = docs.map((item) => ({ kind: 'document', item }));
  return [...f.sort(cmp), ...d.sort(cmp)];
}

/** Appends a page to what is loaded; an item that is already there is replaced in place. */
export function mergeById<T extends { id: string }>(loaded: T[], page: T[]): T[] {
  const index = new Map(loaded.map((x, i) => [x.id, i]));
  const out = [...loaded];
  for (const x of page) {
    const i = index.get(x.id);
    if (i === undefined) {
      index.set(x.id, out.length);
      out.push(x);
    } else out[i] = x;
  }
  return out;
}

/** What the "load more" state of the two lists is: which cursors to follow next. */
export interface Cursors {
  folders?: string;
  documents?: string;
}

export function hasMore(c: Cursors): boolean {
  return Boolean(c.folders || c.documents);
}
