// The tenant's member directory on the client: names behind membership and group ids,
// asked for in batches and kept for the page's life (one store per tenant), and the
// search behind the principal picker. Partners may not use the directory: for them
// every id stays unknown ("another member").
import { api, call, type Role } from '../api/client';

export interface Person {
  id: string;
  name: string;
  email: string;
  role: Role;
  active: boolean;
}

export interface Group {
  id: string;
  name: string;
}

export interface DirectoryResult {
  members: Person[];
  groups: Group[];
}

/** The server calls the store makes (replaced in tests). */
export interface DirectoryFetcher {
  resolve(ids: string[], groupIds: string[]): Promise<DirectoryResult>;
  search(q: string, limit: number, signal?: AbortSignal): Promise<DirectoryResult>;
}

/**
 * Ids per request: each takes 37 characters of the URL, and the whole request head must
 * stay well inside the server's 4 KiB header buffer (the API itself takes up to 200).
 */
export const BATCH = 50;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** undefined: being looked up; null: no member (or group) of this tenant, or not to be known. */
export type Lookup<T> = T | null | undefined;

type Kind = 'member' | 'group';

export class Directory {
  private readonly people = new Map<string, Person | null>();
  private readonly groups = new Map<string, Group | null>();
  /** Ids waiting for the next batch. */
  private readonly wanted: Record<Kind, Set<string>> = { member: new Set(), group: new Set() };
  /** Ids ever asked for (each is asked for once per page). */
  private readonly asked: Record<Kind, Set<string>> = { member: new Set(), group: new Set() };
  private scheduled = false;
  private readonly listeners = new Set<() => void>();
  private version = 0;

  /** `fetcher` null: the caller may not use the directory (partners). */
  constructor(private readonly fetcher: DirectoryFetcher | null) {}

  /** Whether names can be looked up and people searched at all. */
  get enabled(): boolean {
    return this.fetcher !== null;
  }

  /** The person behind a membership id; an unknown id is looked up (in the next batch). */
  person(id: string): Lookup<Person> {
    return this.lookup('member', this.people, id);
  }

  /** The group behind a group id; an unknown id is looked up (in the next batch). */
  group(id: string): Lookup<Group> {
    return this.lookup('group', this.groups, id);
  }

  /** Searches active members and groups; what it finds is remembered for names. */
  async search(q: string, limit = 20, signal?: AbortSignal): Promise<DirectoryResult> {
    if (!this.fetcher) return { members: [], groups: [] };
    const res = await this.fetcher.search(q.trim(), limit, signal);
    this.remember(res);
    return res;
  }

  /** For useSyncExternalStore: called after names arrived. */
  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  };

  /** For useSyncExternalStore: changes whenever names arrived. */
  snapshot = (): number => this.version;

  /** Resolves whatever is still wanted now (instead of in the next task; tests). */
  flush(): Promise<void> {
    this.scheduled = false;
    const members = [...this.wanted.member];
    const groups = [...this.wanted.group];
    this.wanted.member.clear();
    this.wanted.group.clear();
    const jobs: Promise<void>[] = [];
    for (let i = 0; i < Math.max(members.length, groups.length); i += BATCH) {
      jobs.push(this.resolve(members.slice(i, i + BATCH), groups.slice(i, i + BATCH)));
    }
    return Promise.all(jobs).then(() => undefined);
  }

  private lookup<T>(kind: Kind, map: Map<string, T | null>, id: string): Lookup<T> {
    if (!this.fetcher || !UUID.test(id)) return null;
    if (map.has(id)) return map.get(id);
    if (!this.asked[kind].has(id)) {
      this.asked[kind].add(id);
      this.wanted[kind].add(id);
      this.schedule();
    }
    return undefined;
  }

  private schedule() {
    if (this.scheduled) return;
    this.scheduled = true;
    // After the current render: every name a page shows goes into one request.
    setTimeout(() => {
      if (this.scheduled) void this.flush();
    }, 0);
  }

  private async resolve(ids: string[], groupIds: string[]): Promise<void> {
    if (!this.fetcher || (ids.length === 0 && groupIds.length === 0)) return;
    let res: DirectoryResult = { members: [], groups: [] };
    try {
      res = await this.fetcher.resolve(ids, groupIds);
    } catch {
      // Unknown stays unknown for this page: the names show as "another member".
    }
    this.remember(res);
    for (const id of ids) if (!this.people.get(id)) this.people.set(id, null);
    for (const id of groupIds) if (!this.groups.get(id)) this.groups.set(id, null);
    this.changed();
  }

  private remember(res: DirectoryResult) {
    for (const p of res.members) this.people.set(p.id, p);
    for (const g of res.groups) this.groups.set(g.id, g);
    if (res.members.length || res.groups.length) this.changed();
  }

  private changed() {
    this.version++;
    for (const fn of this.listeners) fn();
  }
}

type Body = {
  members?: { membership_id: string; display_name: string; email: string; role: Role; active: boolean }[] | null;
  groups?: { id: string; name: string }[] | null;
};

function result(b: Body): DirectoryResult {
  return {
    members: (b.members ?? []).map((m) => ({ id: m.membership_id, name: m.display_name || m.email, email: m.email, role: m.role, active: m.active })),
    groups: (b.groups ?? []).map((g) => ({ id: g.id, name: g.name })),
  };
}

/** The directory endpoint of one tenant. */
export function apiFetcher(slug: string): DirectoryFetcher {
  const path = { tenant: slug };
  return {
    resolve: async (ids, groupIds) =>
      result(
        await call(
          api.GET('/api/v1/t/{tenant}/directory', {
            params: { path, query: { ...(ids.length ? { ids: ids.join(',') } : {}), ...(groupIds.length ? { group_ids: groupIds.join(',') } : {}) } },
          }),
        ),
      ),
    search: async (q, limit, signal) =>
      result(await call(api.GET('/api/v1/t/{tenant}/directory', { params: { path, query: { ...(q ? { q } : {}), limit } }, signal }))),
  };
}

const stores = new Map<string, Directory>();

/** The tenant's directory store, shared by every screen for the page's life. */
export function directoryFor(slug: string, enabled: boolean): Directory {
  const key = `${enabled ? 'on' : 'off'}:${slug}`;
  let d = stores.get(key);
  if (!d) {
    d = new Directory(enabled ? apiFetcher(slug) : null);
    stores.set(key, d);
  }
  return d;
}
