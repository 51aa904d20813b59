// The upload queue: the state of every file dropped or chosen, as a pure reducer, and the
// numbers the progress bars and announcements are made of. The hook in useUploads.ts
// runs it (a few uploads at a time, each with XMLHttpRequest for its progress).

export type UploadStatus = 'queued' | 'uploading' | 'done' | 'failed' | 'cancelled';

export interface UploadItem {
  id: string;
  file: File;
  name: string;
  size: number;
  loaded: number;
  status: UploadStatus;
  /** The failure (an ApiError with the problem's detail), while status is failed. */
  error?: unknown;
  /** The document the upload created. */
  documentId?: string;
  attempts: number;
}

export type UploadAction =
  | { type: 'add'; items: { id: string; file: File }[] }
  | { type: 'start'; id: string }
  | { type: 'progress'; id: string; loaded: number }
  | { type: 'done'; id: string; documentId?: string }
  | { type: 'fail'; id: string; error: unknown }
  | { type: 'cancel'; id: string }
  | { type: 'retry'; id: string }
  | { type: 'clear' };

const update = (items: UploadItem[], id: string, fn: (x: UploadItem) => UploadItem) => items.map((x) => (x.id === id ? fn(x) : x));

export function uploadReducer(items: UploadItem[], action: UploadAction): UploadItem[] {
  switch (action.type) {
    case 'add':
      return [
        ...items,
        ...action.items.map(({ id, file }) => ({ id, file, name: file.name, size: file.size, loaded: 0, status: 'queued' as const, attempts: 0 })),
      ];
    case 'start':
      return update(items, action.id, (x) => (x.status === 'queued' ? { ...x, status: 'uploading', loaded: 0, error: undefined, attempts: x.attempts + 1 } : x));
    case 'progress':
      return update(items, action.id, (x) => (x.status === 'uploading' ? { ...x, loaded: Math.min(Math.max(action.loaded, 0), x.size) } : x));
    case 'done':
      return update(items, action.id, (x) => (x.status === 'uploading' ? { ...x, status: 'done', loaded: x.size, documentId: action.documentId } : x));
    case 'fail':
      return update(items, action.id, (x) => (x.status === 'uploading' ? { ...x, status: 'failed', loaded: 0, error: action.error } : x));
    case 'cancel':
      return update(items, action.id, (x) => (x.status === 'queued' || x.status === 'uploading' ? { ...x, status: 'cancelled', loaded: 0 } : x));
    case 'retry':
      return update(items, action.id, (x) => (x.status === 'failed' || x.status === 'cancelled' ? { ...x, status: 'queued', loaded: 0, error: undefined } : x));
    case 'clear':
      // Everything that is over goes (failed files too: the person has read why).
      return items.filter((x) => x.status === 'queued' || x.status === 'uploading');
  }
}

/** The queued items to start now so that at most `concurrency` run at once (in order of adding). */
export function toStart(items: UploadItem[], concurrency: number): UploadItem[] {
  const running = items.filter((x) => x.status === 'uploading').length;
  const free = Math.max(0, concurrency - running);
  return items.filter((x) => x.status === 'queued').slice(0, free);
}

export interface UploadSummary {
  /** Files that count (all but cancelled ones; failed ones count as files, not as bytes). */
  count: number;
  queued: number;
  uploading: number;
  done: number;
  failed: number;
  cancelled: number;
  loaded: number;
  total: number;
  /** 0–100, over the bytes of the files queued, running or done. */
  percent: number;
  /** Nothing is queued or running. */
  idle: boolean;
}

export function summarize(items: UploadItem[]): UploadSummary {
  const s: UploadSummary = { count: 0, queued: 0, uploading: 0, done: 0, failed: 0, cancelled: 0, loaded: 0, total: 0, percent: 0, idle: true };
  for (const x of items) {
    s[x.status]++;
    if (x.status === 'cancelled') continue;
    s.count++;
    if (x.status === 'failed') continue;
    s.total += x.size;
    s.loaded += x.status === 'done' ? x.size : x.loaded;
  }
  s.idle = s.queued === 0 && s.uploading === 0;
  if (s.total > 0) s.percent = Math.floor((s.loaded / s.total) * 100);
  else s.percent = s.count > 0 && s.done === s.count ? 100 : 0;
  if (s.percent === 100 && !s.idle) s.percent = 99; // full only when the server has stored every file
  return s;
}

/** Percent of one file. */
export function itemPercent(x: UploadItem): number {
  if (x.status === 'done') return 100;
  if (x.size === 0) return 0;
  return Math.min(99, Math.floor((x.loaded / x.size) * 100));
}

export type Announcement =
  | { key: 'started'; count: number }
  | { key: 'finished'; done: number; failed: number }
  | { key: 'failed'; name: string }
  | null;

/**
 * What to say (politely) when the queue changes: that a batch started, that a file
 * failed, and that the batch ended — not every percent.
 */
export function announce(prev: UploadItem[], next: UploadItem[]): Announcement {
  const before = summarize(prev);
  const after = summarize(next);
  const newlyFailed = next.find((x) => x.status === 'failed' && prev.find((p) => p.id === x.id)?.status !== 'failed');
  if (!after.idle && before.idle) return { key: 'started', count: after.queued + after.uploading };
  if (after.idle && !before.idle) return { key: 'finished', done: after.done, failed: after.failed };
  if (newlyFailed) return { key: 'failed', name: newlyFailed.name };
  return null;
}
