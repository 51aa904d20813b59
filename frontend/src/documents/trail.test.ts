import { describe, expect, it, vi } from 'vitest';
import type { FolderView } from './model';
import { buildTrail, FolderCache, loadTrail, resolveTrail } from './trail';

const f = (id: string, name: string, parent?: string) => ({ id, name, parent_id: parent }) as FolderView;

describe('breadcrumb trail', () => {
  it('walks up the known parents, root first, and names the first unknown ancestor', () => {
    const known = new Map([f('c', 'Anträge', 'b'), f('b', 'Bauamt', 'a')].map((x) => [x.id, x]));
    expect(buildTrail('c', (id) => known.get(id))).toEqual({
      trail: [
        { id: 'b', name: 'Bauamt' },
        { id: 'c', name: 'Anträge' },
      ],
      missing: 'a',
    });
    known.set('a', f('a', 'Verwaltung'));
    expect(buildTrail('c', (id) => known.get(id)).missing).toBeUndefined();
    expect(buildTrail('x', () => undefined)).toEqual({ trail: [], missing: 'x' });
  });

  it('never loops, even on a (corrupt) cycle', () => {
    const known = new Map([f('a', 'A', 'b'), f('b', 'B', 'a')].map((x) => [x.id, x]));
    expect(buildTrail('a', (id) => known.get(id)).trail.map((c) => c.name)).toEqual(['B', 'A']);
  });

  it('fetches the ancestors it has not seen, once, and stops below an unreadable one', async () => {
    const cache = new FolderCache();
    cache.remember(f('c', 'Anträge', 'b'));
    const server = new Map([f('b', 'Bauamt', 'a')].map((x) => [x.id, x]));
    const fetchFolder = vi.fn(async (id: string) => server.get(id) ?? null);
    const r = await resolveTrail('c', cache, fetchFolder);
    expect(r).toEqual({ trail: [{ id: 'b', name: 'Bauamt' }, { id: 'c', name: 'Anträge' }], truncated: true });
    expect(fetchFolder.mock.calls.map((c) => c[0])).toEqual(['b', 'a']);
    // Known now: no more requests.
    await resolveTrail('c', cache, fetchFolder);
    expect(fetchFolder).toHaveBeenCalledTimes(2);
    expect(cache.isUnreadable('a')).toBe(true);
  });

  it('completes the trail up to the root', async () => {
    const cache = new FolderCache();
    const server = new Map([f('c', 'C', 'b'), f('b', 'B', 'a'), f('a', 'A')].map((x) => [x.id, x]));
    const r = await resolveTrail('c', cache, async (id) => server.get(id) ?? null);
    expect(r).toEqual({ trail: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }, { id: 'c', name: 'C' }], truncated: false });
  });

  it('prefers the server’s breadcrumb, keeps it, and forgets it when a folder is renamed', async () => {
    const cache = new FolderCache();
    const path = [
      { id: 'b', name: 'Bauamt' },
      { id: 'c', name: 'Anträge' },
    ];
    const fetchPath = vi.fn(async () => path);
    const fetchFolder = vi.fn(async () => null);
    expect(await loadTrail('c', cache, fetchPath, fetchFolder)).toEqual({ trail: path, truncated: false });
    await loadTrail('c', cache, fetchPath, fetchFolder);
    expect(fetchPath).toHaveBeenCalledTimes(1);
    expect(fetchFolder).not.toHaveBeenCalled();
    cache.remember(f('b', 'Bauamt'));
    cache.remember(f('b', 'Bauverwaltung')); // renamed
    await loadTrail('c', cache, fetchPath, fetchFolder);
    expect(fetchPath).toHaveBeenCalledTimes(2);
  });

  it('falls back to the parent chain when the server has no breadcrumb route', async () => {
    const cache = new FolderCache();
    const server = new Map([f('c', 'C', 'b'), f('b', 'B')].map((x) => [x.id, x]));
    const r = await loadTrail('c', cache, async () => null, async (id) => server.get(id) ?? null);
    expect(r.trail.map((c) => c.name)).toEqual(['B', 'C']);
  });
});
