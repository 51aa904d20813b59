import { afterEach, describe, expect, it, vi } from 'vitest';
import { EMPTY_FILTERS, filtersFromParams, filtersToParams, searchDocuments, searchQuery } from './searchApi';

afterEach(() => vi.unstubAllGlobals());

describe('search request', () => {
  it('keeps the filters in the URL and reads them back', () => {
    const f = { ...EMPTY_FILTERS, q: 'Frist', tags: 'Bau, Frist', from: '2026-03-01' };
    const p = filtersToParams(f);
    expect(p.toString()).toBe('q=Frist&tags=Bau%2C+Frist&from=2026-03-01');
    expect(filtersFromParams(p)).toEqual(f);
  });

  it('builds the API query: one tag parameter per tag, whole local days, cursor; empty filters left out', () => {
    const q = searchQuery({ ...EMPTY_FILTERS, q: ' Frist ', folder: 'f1', tags: 'Bau, Frist', type: 'image/', ref: ' 622 ', from: '2026-03-01', to: '2026-03-01' }, 'c2');
    expect(q).toMatchObject({ q: 'Frist', limit: 20, folder_id: 'f1', tag: ['Bau', 'Frist'], content_type: 'image/', file_plan_ref: '622', cursor: 'c2' });
    expect(Date.parse(q.modified_before ?? '') - Date.parse(q.modified_after ?? '')).toBe(24 * 3600 * 1000);
    expect(searchQuery({ ...EMPTY_FILTERS, q: 'x' })).toEqual({ q: 'x', limit: 20 });
  });

  it('asks the search route and returns its hits', async () => {
    const seen: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (req: Request) => {
        seen.push(req.url);
        return new Response(JSON.stringify({ hits: [{ document_id: 'd1', title: 'A', folder_id: 'f1', rank: 1, updated_at: '2026-03-01T00:00:00Z', snippet: [{ text: 'Frist', hit: true }] }] }), {
          status: 200,
          headers: { 'Content-Type': 'application/json' },
        });
      }),
    );
    const page = await searchDocuments('demo', { ...EMPTY_FILTERS, q: 'Frist', tags: 'Bau, Frist' });
    expect(page.hits[0].title).toBe('A');
    const url = new URL(seen[0]);
    expect(url.pathname).toBe('/api/v1/t/demo/search');
    expect(url.searchParams.get('q')).toBe('Frist');
    expect(url.searchParams.getAll('tag')).toEqual(['Bau', 'Frist']);
  });
});
