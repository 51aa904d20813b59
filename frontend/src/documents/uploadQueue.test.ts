import { describe, expect, it } from 'vitest';
import { announce, itemPercent, summarize, toStart, uploadReducer, type UploadItem } from './uploadQueue';

const file = (name: string, size: number) => new File([new Uint8Array(size)], name);
const add = (items: UploadItem[], ...files: [string, string, number][]) =>
  uploadReducer(items, { type: 'add', items: files.map(([id, name, size]) => ({ id, file: file(name, size) })) });

describe('upload queue', () => {
  it('adds files as queued and starts at most `concurrency` at a time, in order', () => {
    let q = add([], ['a', 'a.pdf', 100], ['b', 'b.png', 300], ['c', 'c.txt', 600]);
    expect(q.map((x) => x.status)).toEqual(['queued', 'queued', 'queued']);
    expect(toStart(q, 2).map((x) => x.id)).toEqual(['a', 'b']);
    q = uploadReducer(q, { type: 'start', id: 'a' });
    q = uploadReducer(q, { type: 'start', id: 'b' });
    expect(toStart(q, 2)).toEqual([]);
    q = uploadReducer(q, { type: 'done', id: 'a', documentId: 'd1' });
    expect(toStart(q, 2).map((x) => x.id)).toEqual(['c']);
    expect(q[0]).toMatchObject({ status: 'done', loaded: 100, documentId: 'd1', attempts: 1 });
  });

  it('aggregates progress over the bytes of all files; 100 % only when every file is stored', () => {
    let q = add([], ['a', 'a.pdf', 100], ['b', 'b.png', 300]);
    q = uploadReducer(q, { type: 'start', id: 'a' });
    q = uploadReducer(q, { type: 'start', id: 'b' });
    q = uploadReducer(q, { type: 'progress', id: 'a', loaded: 100 });
    q = uploadReducer(q, { type: 'progress', id: 'b', loaded: 150 });
    let s = summarize(q);
    expect(s).toMatchObject({ count: 2, uploading: 2, loaded: 250, total: 400, percent: 62, idle: false });
    // All bytes sent but the server has not answered yet: not 100 %.
    q = uploadReducer(q, { type: 'progress', id: 'b', loaded: 300 });
    expect(summarize(q).percent).toBe(99);
    expect(itemPercent(q[1])).toBe(99);
    q = uploadReducer(q, { type: 'done', id: 'a' });
    q = uploadReducer(q, { type: 'done', id: 'b' });
    s = summarize(q);
    expect(s).toMatchObject({ done: 2, percent: 100, idle: true });
  });

  it('clamps progress, ignores events for files that are not running', () => {
    let q = add([], ['a', 'a.pdf', 100]);
    q = uploadReducer(q, { type: 'progress', id: 'a', loaded: 50 });
    expect(q[0].loaded).toBe(0);
    q = uploadReducer(q, { type: 'start', id: 'a' });
    q = uploadReducer(q, { type: 'progress', id: 'a', loaded: 5000 });
    expect(q[0].loaded).toBe(100);
    q = uploadReducer(q, { type: 'progress', id: 'a', loaded: -3 });
    expect(q[0].loaded).toBe(0);
  });

  it('a failed file keeps its error, leaves the byte count, and can be retried', () => {
    let q = add([], ['a', 'a.pdf', 100], ['b', 'b.png', 300]);
    q = uploadReducer(q, { type: 'start', id: 'a' });
    q = uploadReducer(q, { type: 'start', id: 'b' });
    q = uploadReducer(q, { type: 'progress', id: 'b', loaded: 300 });
    q = uploadReducer(q, { type: 'fail', id: 'b', error: new Error('413') });
    q = uploadReducer(q, { type: 'done', id: 'a' });
    const s = summarize(q);
    expect(s).toMatchObject({ count: 2, done: 1, failed: 1, loaded: 100, total: 100, percent: 100, idle: true });
    expect(q[1]).toMatchObject({ status: 'failed', loaded: 0 });
    q = uploadReducer(q, { type: 'retry', id: 'b' });
    expect(q[1]).toMatchObject({ status: 'queued', error: undefined });
    expect(toStart(q, 2).map((x) => x.id)).toEqual(['b']);
    q = uploadReducer(q, { type: 'start', id: 'b' });
    expect(q[1].attempts).toBe(2);
  });

  it('cancelled files do not count; clearing keeps only what still runs', () => {
    let q = add([], ['a', 'a.pdf', 100], ['b', 'b.png', 300], ['c', 'c.txt', 50]);
    q = uploadReducer(q, { type: 'start', id: 'a' });
    q = uploadReducer(q, { type: 'cancel', id: 'b' });
    expect(summarize(q)).toMatchObject({ count: 2, cancelled: 1, total: 150 });
    q = uploadReducer(q, { type: 'cancel', id: 'b' }); // twice: no change
    q = uploadReducer(q, { type: 'clear' });
    expect(q.map((x) => x.id)).toEqual(['a', 'c']);
  });

  it('an empty file is complete when stored', () => {
    let q = add([], ['e', 'leer.txt', 0]);
    expect(summarize(q).percent).toBe(0);
    q = uploadReducer(q, { type: 'start', id: 'e' });
    q = uploadReducer(q, { type: 'done', id: 'e' });
    expect(summarize(q).percent).toBe(100);
  });

  it('announces the start, each failure and the end of a batch — not every percent', () => {
    const q0: UploadItem[] = [];
    const q1 = add(q0, ['a', 'a.pdf', 100], ['b', 'b.png', 300]);
    expect(announce(q0, q1)).toEqual({ key: 'started', count: 2 });
    const q2 = uploadReducer(uploadReducer(q1, { type: 'start', id: 'a' }), { type: 'start', id: 'b' });
    expect(announce(q1, q2)).toBeNull();
    const q3 = uploadReducer(q2, { type: 'progress', id: 'a', loaded: 40 });
    expect(announce(q2, q3)).toBeNull();
    const q4 = uploadReducer(q3, { type: 'fail', id: 'a', error: 'x' });
    expect(announce(q3, q4)).toEqual({ key: 'failed', name: 'a.pdf' });
    const q5 = uploadReducer(q4, { type: 'done', id: 'b' });
    expect(announce(q4, q5)).toEqual({ key: 'finished', done: 1, failed: 1 });
  });
});
