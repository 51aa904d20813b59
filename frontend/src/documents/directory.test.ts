import { describe, expect, it, vi } from 'vitest';
import { BATCH, Directory, type DirectoryFetcher, type Person } from './directory';

const id = (n: number) => `00000000-0000-7000-8000-${String(n).padStart(12, '0')}`;
const person = (n: number, name = `Person ${n}`, active = true): Person => ({ id: id(n), name, email: `p${n}@amt.example`, role: 'staff', active });

/** A fake server that knows members 1–999 (900+ deactivated) and group 1. */
function fakeServer() {
  const resolve = vi.fn(async (ids: string[], groupIds: string[]) => ({
    members: ids.map((x) => Number(x.slice(-12))).filter((n) => n >= 1 && n < 1000).map((n) => person(n, `Person ${n}`, n < 900)),
    groups: groupIds.filter((g) => g === id(1)).map((g) => ({ id: g, name: 'Bauaufsicht' })),
  }));
  const search = vi.fn(async (q: string) => ({ members: [person(7, `Konrad ${q}`)], groups: [{ id: id(2), name: 'Kämmerei' }] }));
  return { resolve, search } satisfies DirectoryFetcher;
}

describe('Directory', () => {
  it('asks once for every name wanted in the same moment, and keeps the answers', async () => {
    const server = fakeServer();
    const d = new Directory(server);
    const seen = vi.fn();
    d.subscribe(seen);
    expect(d.person(id(1))).toBeUndefined(); // loading
    expect(d.person(id(2))).toBeUndefined();
    expect(d.person(id(1))).toBeUndefined(); // asked for once
    expect(d.group(id(1))).toBeUndefined();
    await vi.waitFor(() => expect(seen).toHaveBeenCalled());
    expect(server.resolve).toHaveBeenCalledTimes(1);
    expect(server.resolve).toHaveBeenCalledWith([id(1), id(2)], [id(1)]);
    expect(d.person(id(1))?.name).toBe('Person 1');
    expect(d.group(id(1))?.name).toBe('Bauaufsicht');
    expect(d.snapshot()).toBeGreaterThan(0);
    // Kept for the page's life: no second request.
    d.person(id(2));
    await d.flush();
    expect(server.resolve).toHaveBeenCalledTimes(1);
  });

  it('marks ids the tenant does not know (another tenant’s) as unknown, and deactivated members as such', async () => {
    const server = fakeServer();
    const d = new Directory(server);
    d.person(id(5000));
    d.person(id(901));
    d.group(id(9));
    await d.flush();
    expect(d.person(id(5000))).toBeNull();
    expect(d.group(id(9))).toBeNull();
    expect(d.person(id(901))?.active).toBe(false);
  });

  it('splits many ids into batches small enough for one request line', async () => {
    const server = fakeServer();
    const d = new Directory(server);
    for (let n = 1; n <= 120; n++) d.person(id(n));
    await d.flush();
    expect(server.resolve).toHaveBeenCalledTimes(3);
    for (const [ids] of server.resolve.mock.calls) expect(ids.length).toBeLessThanOrEqual(BATCH);
    expect(new Set(server.resolve.mock.calls.flatMap(([ids]) => ids)).size).toBe(120);
    expect(d.person(id(120))?.name).toBe('Person 120');
  });

  it('never asks about something that is not an id, nor when the directory is closed (partners)', async () => {
    const server = fakeServer();
    const d = new Directory(server);
    expect(d.person('')).toBeNull();
    expect(d.person('kein-uuid')).toBeNull();
    await d.flush();
    expect(server.resolve).not.toHaveBeenCalled();
    const closed = new Directory(null);
    expect(closed.enabled).toBe(false);
    expect(closed.person(id(1))).toBeNull();
    expect(await closed.search('a')).toEqual({ members: [], groups: [] });
  });

  it('treats a failed lookup as unknown for the rest of the page', async () => {
    const d = new Directory({ resolve: vi.fn().mockRejectedValue(new Error('offline')), search: vi.fn() });
    d.person(id(3));
    await d.flush();
    expect(d.person(id(3))).toBeNull();
  });

  it('remembers the people and groups a search found', async () => {
    const server = fakeServer();
    const d = new Directory(server);
    const res = await d.search('  konr ', 5);
    expect(server.search).toHaveBeenCalledWith('konr', 5, undefined);
    expect(res.members[0].name).toBe('Konrad konr');
    expect(d.person(id(7))?.name).toBe('Konrad konr');
    expect(d.group(id(2))?.name).toBe('Kämmerei');
    await d.flush();
    expect(server.resolve).not.toHaveBeenCalled();
  });
});
