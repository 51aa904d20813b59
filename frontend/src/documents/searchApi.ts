// The full-text search: GET /api/v1/t/{tenant}/search, and the page's filters as kept in
// its URL (?q=…&folder=…), so that a search can be bookmarked and shared.
import { api, call, type Schemas } from '../api/client';
import { endOfLocalDay, startOfLocalDay } from '../lib/format';
import { parseTags } from './model';

export type SearchHit = Schemas['SearchHitView'];
export type SearchPage = Schemas['SearchOutBody'];

export interface SearchFilters {
  q: string;
  folder: string;
  tags: string;
  type: string;
  ref: string;
  from: string;
  to: string;
}

export const EMPTY_FILTERS: SearchFilters = { q: '', folder: '', tags: '', type: '', ref: '', from: '', to: '' };
const KEYS = Object.keys(EMPTY_FILTERS) as (keyof SearchFilters)[];

/** The filters as the search page's URL keeps them (?q=…&folder=…). */
export function filtersFromParams(p: URLSearchParams): SearchFilters {
  const out = { ...EMPTY_FILTERS };
  for (const k of KEYS) out[k] = p.get(k) ?? '';
  return out;
}

export function filtersToParams(f: SearchFilters): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of KEYS) {
    const v = f[k].trim();
    if (v) p.set(k, v);
  }
  return p;
}

/**
 * The API query of a search: dates as whole local days (the "to" day included); one
 * repeated `tag` parameter per tag.
 */
export function searchQuery(f: SearchFilters, cursor?: string, limit = 20) {
  const tags = parseTags(f.tags);
  return {
    q: f.q.trim(),
    limit,
    ...(f.folder ? { folder_id: f.folder } : {}),
    ...(tags.length ? { tag: tags } : {}),
    ...(f.type ? { content_type: f.type } : {}),
    ...(f.ref.trim() ? { file_plan_ref: f.ref.trim() } : {}),
    ...(f.from && startOfLocalDay(f.from) ? { modified_after: startOfLocalDay(f.from) } : {}),
    ...(f.to && endOfLocalDay(f.to) ? { modified_before: endOfLocalDay(f.to) } : {}),
    ...(cursor ? { cursor } : {}),
  };
}

export function searchDocuments(slug: string, f: SearchFilters, cursor?: string): Promise<SearchPage> {
  return call(api.GET('/api/v1/t/{tenant}/search', { params: { path: { tenant: slug }, query: searchQuery(f, cursor) } }));
}
