// Types and small helpers of the document store's screens (pure, unit-tested).
import type { Schemas } from '../api/client';
import { every } from '../lib/every';

export type FolderView = Schemas['FolderView'];
export type DocumentView = Schemas['DocumentView'];
export type RevisionView = Schemas['RevisionView'];
export type TrashItemView = Schemas['TrashItemView'];
export type ACLEntryView = Schemas['ACLEntryView'];
export type FolderACLView = Schemas['FolderACLView'];
export type PrincipalView = Schemas['PrincipalView'];
export type Level = ACLEntryView['level'];
export const LEVELS = every<Level>()(['read', 'write', 'manage']);

const rank: Record<Level, number> = { read: 1, write: 2, manage: 3 };

/** Whether an effective access level is at least `min`. */
export function can(access: Level | string | undefined, min: Level): boolean {
  return access !== undefined && (rank[access as Level] ?? 0) >= rank[min];
}

/** A version as the entity tag If-Match expects: 7 → "7". */
export function etag(version: number): string {
  return `"${version}"`;
}

const base = (slug: string) => `/api/v1/t/${encodeURIComponent(slug)}`;

/** The URL of a document's current content, or of one revision; `inline` shows PDFs and images in the browser. */
export function contentURL(slug: string, docId: string, opts: { revision?: string; inline?: boolean } = {}): string {
  const path = opts.revision
    ? `${base(slug)}/documents/${encodeURIComponent(docId)}/revisions/${encodeURIComponent(opts.revision)}/content`
    : `${base(slug)}/documents/${encodeURIComponent(docId)}/content`;
  return opts.inline ? `${path}?disposition=inline` : path;
}

/** The URL of the upload of a new document into a folder. */
export function uploadURL(slug: string, folderId: string, fileName: string, title?: string, comment?: string): string {
  const q = new URLSearchParams({ file_name: fileName });
  if (title) q.set('title', title);
  if (comment) q.set('comment', comment);
  return `${base(slug)}/folders/${encodeURIComponent(folderId)}/files?${q}`;
}

/** The URL of the upload of a new revision of a document. */
export function revisionUploadURL(slug: string, docId: string, fileName: string, comment?: string): string {
  const q = new URLSearchParams({ file_name: fileName });
  if (comment) q.set('comment', comment);
  return `${base(slug)}/documents/${encodeURIComponent(docId)}/content?${q}`;
}

export type PreviewKind = 'pdf' | 'image' | 'none';

/** How the preview shows a media type (the server sends these inline; others always download). */
export function previewKind(contentType: string | undefined | null): PreviewKind {
  const t = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (t === 'application/pdf') return 'pdf';
  if (['image/png', 'image/jpeg', 'image/gif', 'image/webp'].includes(t)) return 'image';
  return 'none';
}

/** A byte count for people: 1536 → "1,5 KB" (German) / "1.5 KB" (English). */
export function formatBytes(n: number | undefined | null, lng: string): string {
  if (n === undefined || n === null || !Number.isFinite(n)) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = u === 0 || v >= 100 ? 0 : 1;
  const num = new Intl.NumberFormat(lng === 'en' ? 'en-GB' : 'de-DE', { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(v);
  return `${num} ${units[u]}`;
}

/** A short label for a media type: application/pdf → PDF, image/png → PNG. */
export function typeLabel(contentType: string | undefined | null): string {
  const t = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (!t) return '';
  const known: Record<string, string> = {
    'application/pdf': 'PDF',
    'text/plain': 'Text',
    'text/csv': 'CSV',
    'application/zip': 'ZIP',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PPTX',
    'application/vnd.oasis.opendocument.text': 'ODT',
    'application/vnd.oasis.opendocument.spreadsheet': 'ODS',
    'application/msword': 'DOC',
    'application/vnd.ms-excel': 'XLS',
    'application/octet-stream': '',
  };
  if (t in known) return known[t];
  const [major, minor = ''] = t.split('/');
  if (major === 'image' || major === 'audio' || major === 'video') return minor.replace(/^x-/, '').toUpperCase();
  return minor.replace(/^(x-|vnd\.)/, '').toUpperCase().slice(0, 12);
}

/** Tags typed as one comma-separated line: trimmed, without empties and duplicates. */
export function parseTags(input: string): string[] {
  const out: string[] = [];
  for (const raw of input.split(',')) {
    const tag = raw.trim();
    if (tag && !out.includes(tag)) out.push(tag);
  }
  return out;
}

/** The server's rule for names of free metadata fields. */
export const METADATA_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export interface MetaRow {
  key: string;
  value: string;
}

/** The free metadata fields as editable rows, sorted by name. */
export function metadataRows(m: Record<string, string> | undefined | null): MetaRow[] {
  return Object.entries(m ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => ({ key, value }));
}

/**
 * Rows back to a metadata object. Empty rows are dropped; a row whose name breaks the
 * rule or repeats an earlier one is reported by index (the form marks it).
 */
export function rowsToMetadata(rows: MetaRow[]): { metadata: Record<string, string>; invalid: number[]; duplicate: number[] } {
  const metadata: Record<string, string> = {};
  const invalid: number[] = [];
  const duplicate: number[] = [];
  rows.forEach((r, i) => {
    const key = r.key.trim();
    if (!key && !r.value.trim()) return;
    if (!METADATA_KEY.test(key)) invalid.push(i);
    else if (key in metadata) duplicate.push(i);
    else metadata[key] = r.value;
  });
  return { metadata, invalid, duplicate };
}

/** The first characters of a SHA-256, for the revision table. */
export function shortHash(sha: string | undefined): string {
  return (sha ?? '').slice(0, 12);
}
