import { describe, expect, it } from 'vitest';
import { applySnapshot, INITIAL_VERSIONS, liveReducer, parseChange, parseSnapshot, partsFor, PARTS } from './live';

describe('meeting change events', () => {
  it('name the parts to read again', () => {
    expect(partsFor('agenda')).toEqual(['agenda']);
    expect(partsFor('attendance')).toEqual(['attendance', 'quorum']);
    expect(partsFor('conflicts')).toEqual(['conflicts', 'quorum']);
    expect(partsFor('state')).toEqual(expect.arrayContaining(['meeting', 'polls', 'papers']));
    expect(partsFor('current_item')).toEqual(['meeting']);
    expect(partsFor('changed')).toEqual([...PARTS]);
    expect(partsFor('something-new')).toEqual([...PARTS]);
  });

  it('bump only the counters they concern, once per event', () => {
    let v = liveReducer(INITIAL_VERSIONS, { type: 'change', what: 'posts' });
    expect(v.posts).toBe(1);
    expect(v.agenda).toBe(0);
    v = liveReducer(v, { type: 'change', what: 'attendance' });
    v = liveReducer(v, { type: 'change', what: 'attendance' });
    expect(v.attendance).toBe(2);
    expect(v.quorum).toBe(2);
    expect(v.posts).toBe(1);
    v = liveReducer(v, { type: 'reload', parts: ['polls'] });
    expect(v.polls).toBe(1);
    expect(liveReducer(v, { type: 'reload', parts: [] })).toBe(v);
  });

  it('read their data defensively', () => {
    expect(parseChange('{"what":"papers"}')).toBe('papers');
    expect(parseChange('not json')).toBe('changed');
    expect(parseChange('{"what":3}')).toBe('changed');
  });
});

describe('poll snapshots', () => {
  it('are parsed and validated', () => {
    expect(parseSnapshot('{"state":"open","ballots":3}')).toEqual({ state: 'open', ballots: 3 });
    expect(parseSnapshot('{"state":"weird","ballots":3}')).toBeNull();
    expect(parseSnapshot('{"state":"open","ballots":-1}')).toBeNull();
    expect(parseSnapshot('{"state":"open"}')).toBeNull();
    expect(parseSnapshot('{"state":"annulled","ballots":2}')).toEqual({ state: 'annulled', ballots: 2 });
    expect(parseSnapshot('')).toBeNull();
  });

  it('move a poll forward, never back, and never shrink its count', () => {
    const p = { id: 'p', state: 'open' as const, ballots: 2 };
    expect(applySnapshot(p, { state: 'open', ballots: 3 })).toEqual({ id: 'p', state: 'open', ballots: 3 });
    expect(applySnapshot(p, { state: 'open', ballots: 1 })).toBe(p);
    expect(applySnapshot(p, { state: 'draft', ballots: 0 })).toBe(p);
    expect(applySnapshot(p, { state: 'closed', ballots: 5 })).toEqual({ id: 'p', state: 'closed', ballots: 5 });
    const closed = { id: 'p', state: 'closed' as const, ballots: 5 };
    expect(applySnapshot(closed, { state: 'open', ballots: 6 })).toBe(closed);
    expect(applySnapshot(closed, { state: 'published', ballots: 5 }).state).toBe('published');
  });
});

describe('annulled polls', () => {
  it('follow a running, closed or published poll, and a late snapshot never moves them back', () => {
    const closed = { state: 'closed' as const, ballots: 2 };
    const annulled = applySnapshot(closed, { state: 'annulled', ballots: 2 });
    expect(annulled.state).toBe('annulled');
    expect(applySnapshot({ state: 'open' as const, ballots: 1 }, { state: 'annulled', ballots: 1 }).state).toBe('annulled');
    expect(applySnapshot({ state: 'published' as const, ballots: 4 }, { state: 'annulled', ballots: 4 }).state).toBe('annulled');
    expect(applySnapshot(annulled, { state: 'open', ballots: 2 })).toBe(annulled);
    expect(applySnapshot(annulled, { state: 'closed', ballots: 2 })).toBe(annulled);
    expect(applySnapshot(annulled, { state: 'published', ballots: 2 })).toBe(annulled);
  });
});
