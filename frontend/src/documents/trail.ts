// Breadcrumbs: the API has no ancestor path, so the trail is built from the folders the
// app has already seen (every listing brings parent ids) and completed with GET
// /folders/{id} for the ancestors it has not seen.
import type { FolderView } from './model';

export interface Crumb {
  id: string;
  name: string;
}

export type Lookup = (id: string) => FolderView | undefined;

/** The longest known chain from the root to `id` (root first); `missing` names the first ancestor not known yet. */
export function buildTrail(id: string, lookup: Lookup, limit = 64): { trail: Crumb[]; missing?: string } {
  const trail: Crumb[] = [];
  const seen = new Set<string>();
  let cur: string | undefined = id;
  while (cur && trail.length < limit) {
    if (seen.has(cur)) break; // a cycle cannot happen in a tree, but never loop
    seen.add(cur);
    const f = lookup(cur);
    if (!f) return { trail: trail.reverse(), missing: cur };
    trail.push({ id: f.id, name: f.name });
    cur = f.parent_id ?? undefined;
  }
  return { trail: trail.reverse() };
}

/** A per-tenant memory of the folders seen in this session of the app. */
export class FolderCache {
  private byId = new Map<string, FolderView>();
  private unreadable = new Set<string>();
  private paths = new Map<string, Crumb[]>();

  /** A path the server gave (GET /folders/{id}/path), kept until the folder moves or is renamed. */
  rememberPath(id: string, path: Crumb[]): void {
    this.paths.set(id, path);
  }

  path(id: string): Crumb[] | undefined {
    return this.paths.get(id);
  }

  remember(...folders: FolderView[]): void {
    for (const f of folders) {
      const before = this.byId.get(f.id);
      if (before && (before.name !== f.name || (before.parent_id ?? null) !== (f.parent_id ?? null))) this.paths.clear();
      this.byId.set(f.id, f);
      this.unreadable.delete(f.id);
    }
  }

  forget(id: string): void {
    this.byId.delete(id);
    this.paths.clear(); // any path through it may have changed
  }

  get(id: string): FolderView | undefined {
    return this.byId.get(id);
  }

  /** Marks an ancestor the person cannot read: the trail starts below it. */
  markUnreadable(id: string): void {
    this.unreadable.add(id);
  }

  isUnreadable(id: string): boolean {
    return this.unreadable.has(id);
  }
}

const caches = new Map<string, FolderCache>();

export function folderCache(slug: string): FolderCache {
  let c = caches.get(slug);
  if (!c) {
    c = new FolderCache();
    caches.set(slug, c);
  }
  return c;
}

/**
 * The trail of `id`: from the server's breadcrumb (GET /folders/{id}/path: from the
 * caller's entry folder down, one request) when it has one; else from the parent chain.
 */
export async function loadTrail(
  id: string,
  cache: FolderCache,
  fetchPath: (id: string) => Promise<Crumb[] | null>,
  fetchFolder: (id: string) => Promise<FolderView | null>,
): Promise<{ trail: Crumb[]; truncated: boolean }> {
  const known = cache.path(id);
  if (known) return { trail: known, truncated: false };
  const path = await fetchPath(id);
  if (path && path.length > 0) {
    cache.rememberPath(id, path);
    return { trail: path, truncated: false };
  }
  return resolveTrail(id, cache, fetchFolder);
}

/**
 * Completes the trail of `id` by fetching unknown ancestors one by one (at most `max`
 * requests). An ancestor that cannot be read ends the trail there ("…" in the UI).
 */
export async function resolveTrail(
  id: string,
  cache: FolderCache,
  fetchFolder: (id: string) => Promise<FolderView | null>,
  max = 32,
): Promise<{ trail: Crumb[]; truncated: boolean }> {
  for (let i = 0; i < max; i++) {
    const { trail, missing } = buildTrail(id, (x) => cache.get(x));
    if (!missing) return { trail, truncated: false };
    if (cache.isUnreadable(missing)) return { trail, truncated: true };
    const f = await fetchFolder(missing);
    if (!f) {
      cache.markUnreadable(missing);
      return { trail, truncated: true };
    }
    cache.remember(f);
  }
  const { trail, missing } = buildTrail(id, (x) => cache.get(x));
  return { trail, truncated: Boolean(missing) };
}
