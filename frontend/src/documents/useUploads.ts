import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { announce, toStart, uploadReducer, type Announcement, type UploadItem } from './uploadQueue';
import { sendFile, UploadCancelled, type UploadResult } from './upload';

/** How many files go up at once. */
export const CONCURRENCY = 2;

let serial = 0;

/**
 * Runs the upload queue: files are added, started a few at a time, reported in progress,
 * and can be cancelled and retried. `urlFor` gives each file's upload URL; `onUploaded`
 * hears of each stored document.
 */
export function useUploads(urlFor: (file: File) => string, onUploaded: (r: UploadResult) => void) {
  const [items, dispatch] = useReducer(uploadReducer, [] as UploadItem[]);
  const [message, setMessage] = useState<Announcement>(null);
  const handles = useRef(new Map<string, () => void>());
  const started = useRef(new Set<string>());
  const prev = useRef<UploadItem[]>([]);
  const latest = useRef({ urlFor, onUploaded });
  latest.current = { urlFor, onUploaded };

  useEffect(() => {
    const a = announce(prev.current, items);
    prev.current = items;
    if (a) setMessage(a);
    for (const item of toStart(items, CONCURRENCY)) {
      const key = `${item.id}#${item.attempts + 1}`;
      if (started.current.has(key)) continue;
      started.current.add(key);
      dispatch({ type: 'start', id: item.id });
      let lastPercent = -1;
      const h = sendFile({
        method: 'POST',
        url: latest.current.urlFor(item.file),
        file: item.file,
        onProgress: (loaded, total) => {
          // Re-render per whole percent, not per network packet.
          const p = total > 0 ? Math.floor((loaded / total) * 100) : 0;
          if (p !== lastPercent) {
            lastPercent = p;
            dispatch({ type: 'progress', id: item.id, loaded });
          }
        },
      });
      handles.current.set(item.id, h.abort);
      h.promise.then(
        (r) => {
          dispatch({ type: 'done', id: item.id, documentId: r.document.id });
          latest.current.onUploaded(r);
        },
        (e) => {
          if (!(e instanceof UploadCancelled)) dispatch({ type: 'fail', id: item.id, error: e });
        },
      ).finally(() => handles.current.delete(item.id));
    }
  }, [items]);

  // Leaving the page cancels what is still running.
  useEffect(() => {
    const h = handles.current;
    return () => {
      for (const abort of h.values()) abort();
    };
  }, []);

  const add = useCallback((files: FileList | File[]) => {
    const list = Array.from(files);
    if (list.length) dispatch({ type: 'add', items: list.map((file) => ({ id: `u${++serial}`, file })) });
  }, []);
  const cancel = useCallback((id: string) => {
    handles.current.get(id)?.();
    dispatch({ type: 'cancel', id });
  }, []);
  const current = useRef(items);
  current.current = items;
  const cancelAll = useCallback(() => {
    for (const x of current.current) {
      if (x.status !== 'queued' && x.status !== 'uploading') continue;
      handles.current.get(x.id)?.();
      dispatch({ type: 'cancel', id: x.id });
    }
  }, []);
  const retry = useCallback((id: string) => dispatch({ type: 'retry', id }), []);
  const clear = useCallback(() => dispatch({ type: 'clear' }), []);
  return { items, message, add, cancel, cancelAll, retry, clear };
}
