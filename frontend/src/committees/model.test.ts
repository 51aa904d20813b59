import { describe, expect, it } from 'vitest';
import {
  calledItem,
  canDelegate,
  delegationOf,
  delegationsTo,
  proxyCandidates,
  isoToLocalInput,
  reorderAccepted,
  localInputToISO,
  moveInOrder,
  nextMeetingState,
  resultRows,
  seatPhase,
  seatRunning,
  sortSeats,
  toggleOption,
  verdictKey,
  weightNeeded,
  type AgendaItem,
  type Delegation,
  type Seat,
} from './model';

const seat = (over: Partial<Seat>): Seat => ({
  id: 's',
  committee_id: 'c',
  membership_id: 'm',
  role: 'member',
  voting: true,
  weight: 1,
  term_start: '2026-01-01T00:00:00Z',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  ...over,
});

describe('seats', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  it('run from their start (inclusive) to their end (exclusive)', () => {
    expect(seatRunning(seat({}), now)).toBe(true);
    expect(seatRunning(seat({ term_end: '2026-06-01T12:00:00Z' }), now)).toBe(false);
    expect(seatPhase(seat({ term_start: '2026-07-01T00:00:00Z' }), now)).toBe('future');
    expect(seatPhase(seat({ term_end: '2026-02-01T00:00:00Z' }), now)).toBe('ended');
  });

  it('are listed running first, by role, then by name', () => {
    const names: Record<string, string> = { a: 'Anna', b: 'Bert', c: 'Clara', d: 'Dora' };
    const list = [
      seat({ id: '1', membership_id: 'b', role: 'member' }),
      seat({ id: '2', membership_id: 'd', role: 'chair', term_end: '2026-02-01T00:00:00Z' }),
      seat({ id: '3', membership_id: 'c', role: 'chair' }),
      seat({ id: '4', membership_id: 'a', role: 'member' }),
    ];
    expect(sortSeats(list, (id) => names[id], now).map((s) => s.id)).toEqual(['3', '4', '1', '2']);
  });
});

describe('meetings and agendas', () => {
  it('advance one state at a time; approval is not a manual step', () => {
    expect(nextMeetingState('planned')).toBe('invited');
    expect(nextMeetingState('invited')).toBe('in_session');
    expect(nextMeetingState('in_session')).toBe('closed');
    expect(nextMeetingState('closed')).toBeNull();
    expect(nextMeetingState('cancelled')).toBeNull();
  });

  it('name the item the chair called, only in session and only an accepted one', () => {
    const item = (id: string, state: AgendaItem['state'], number: number) => ({ id, state, number }) as AgendaItem;
    const items = [item('a', 'accepted', 1), item('b', 'accepted', 2), item('p', 'proposed', 0)];
    expect(calledItem({ state: 'in_session', current_item_id: 'b' }, items)?.number).toBe(2);
    expect(calledItem({ state: 'in_session', current_item_id: 'p' }, items)).toBeUndefined();
    expect(calledItem({ state: 'in_session' }, items)).toBeUndefined();
    expect(calledItem({ state: 'closed', current_item_id: 'b' }, items)).toBeUndefined();
  });

  it('move items up and down, not past the edges', () => {
    expect(moveInOrder(['a', 'b', 'c'], 'b', -1)).toEqual(['b', 'a', 'c']);
    expect(moveInOrder(['a', 'b', 'c'], 'b', 1)).toEqual(['a', 'c', 'b']);
    expect(moveInOrder(['a', 'b', 'c'], 'a', -1)).toEqual(['a', 'b', 'c']);
    expect(moveInOrder(['a', 'b', 'c'], 'c', 1)).toEqual(['a', 'b', 'c']);
    expect(moveInOrder(['a'], 'x', 1)).toEqual(['a']);
  });

  it('reorder accepted items past their accepted neighbours, leaving proposals in place', () => {
    const items = [
      { id: 'a', position: 1, state: 'accepted' as const },
      { id: 'p', position: 2, state: 'proposed' as const },
      { id: 'b', position: 3, state: 'accepted' as const },
      { id: 'c', position: 4, state: 'accepted' as const },
    ];
    expect(reorderAccepted(items, 'b', -1)).toEqual(['b', 'p', 'a', 'c']);
    expect(reorderAccepted(items, 'b', 1)).toEqual(['a', 'p', 'c', 'b']);
    expect(reorderAccepted(items, 'a', -1)).toEqual(['a', 'p', 'b', 'c']);
  });

  it('round-trip date-time inputs in local time', () => {
    const iso = localInputToISO('2026-05-04T18:30');
    expect(iso).toBeDefined();
    expect(isoToLocalInput(iso)).toBe('2026-05-04T18:30');
    expect(localInputToISO('2026-05-04')).toBeUndefined();
    expect(isoToLocalInput('nonsense')).toBe('');
  });
});

describe('quorum', () => {
  it('needs more than the share, or at least it when inclusive', () => {
    expect(weightNeeded(6, { num: 1, den: 2, inclusive: false })).toBe(4);
    expect(weightNeeded(5, { num: 1, den: 2, inclusive: false })).toBe(3);
    expect(weightNeeded(6, { num: 1, den: 2, inclusive: true })).toBe(3);
    expect(weightNeeded(9, { num: 2, den: 3, inclusive: true })).toBe(6);
    expect(weightNeeded(9, { num: 2, den: 3, inclusive: false })).toBe(7);
    expect(weightNeeded(0, { num: 1, den: 2, inclusive: false })).toBe(0);
  });
});

describe('results', () => {
  it('yes/no/abstain: shares of the weight cast, bars scaled to the largest', () => {
    const rows = resultRows({ method: 'yes_no_abstain', options: [] }, { yes: 3, no: 1, abstain: 1, cast_weight: 5, option_votes: [], elected: [] });
    expect(rows.map((r) => [r.key, r.votes, r.percent, r.bar])).toEqual([
      ['yes', 3, 60, 100],
      ['no', 1, 20, 33.3],
      ['abstain', 1, 20, 33.3],
    ]);
    expect(rows.every((r) => r.translate)).toBe(true);
  });

  it('no ballots: zero everywhere, no division by zero', () => {
    const rows = resultRows({ method: 'yes_no_abstain', options: [] }, { yes: 0, no: 0, abstain: 0, cast_weight: 0, option_votes: [], elected: [] });
    expect(rows.map((r) => r.percent + r.bar)).toEqual([0, 0, 0]);
  });

  it('elections: options in their order, elected marked, abstentions last', () => {
    const poll = {
      method: 'choice' as const,
      options: [
        { id: 'o2', position: 2, label: 'Bert' },
        { id: 'o1', position: 1, label: 'Anna' },
        { id: 'o3', position: 3, label: 'Clara' },
      ],
    };
    const rows = resultRows(poll, {
      yes: 0,
      no: 0,
      abstain: 1,
      cast_weight: 5,
      option_votes: [
        { option_id: 'o1', votes: 4 },
        { option_id: 'o2', votes: 1 },
        { option_id: 'o3', votes: 3 },
      ],
      elected: ['o1', 'o3'],
    });
    expect(rows.map((r) => [r.label, r.votes, r.elected ?? null])).toEqual([
      ['Anna', 4, true],
      ['Bert', 1, false],
      ['Clara', 3, true],
      ['committees.vote.abstain', 1, null],
    ]);
    expect(rows[0].percent).toBe(80);
  });

  it('verdicts', () => {
    expect(verdictKey({ method: 'yes_no_abstain' }, { passed: true, tie_at_cut: false })).toBe('committees.result.adopted');
    expect(verdictKey({ method: 'yes_no_abstain' }, { passed: false, tie_at_cut: false })).toBe('committees.result.rejected');
    expect(verdictKey({ method: 'choice' }, { passed: false, tie_at_cut: true })).toBe('committees.result.tie');
    expect(verdictKey({ method: 'choice' }, { passed: true, tie_at_cut: false })).toBe('committees.result.elected');
  });

  it('an election ballot takes at most as many options as seats', () => {
    expect(toggleOption([], 'a', 2)).toEqual(['a']);
    expect(toggleOption(['a'], 'b', 2)).toEqual(['a', 'b']);
    expect(toggleOption(['a', 'b'], 'c', 2)).toEqual(['a', 'b']);
    expect(toggleOption(['a', 'b'], 'a', 2)).toEqual(['b']);
  });
});

describe('delegations', () => {
  const del = (over: Partial<Delegation>): Delegation => ({
    id: 'd',
    committee_id: 'c',
    from_membership_id: 'anton',
    to_membership_id: 'berta',
    meeting_id: 'm1',
    created_at: '2026-05-01T00:00:00Z',
    created_by: 'anton',
    ...over,
  });
  const now = new Date('2026-05-04T12:00:00Z');
  const seats = [
    seat({ membership_id: 'anton', voting: true, role: 'member' }),
    seat({ membership_id: 'berta', voting: true, role: 'member' }),
    seat({ membership_id: 'carl', voting: false, role: 'secretary' }),
    seat({ membership_id: 'dora', voting: true, role: 'advisory' }),
    seat({ membership_id: 'emil', voting: true, role: 'member', term_end: '2026-05-01T00:00:00Z' }),
  ];

  it('finds the caller\'s own delegation, for the meeting or any that covers a poll', () => {
    const ds = [del({ id: 'x', from_membership_id: 'carl', to_membership_id: 'anton' }), del({ id: 'p', meeting_id: undefined, poll_id: 'p1' })];
    expect(delegationOf(ds, 'anton')?.id).toBe('p');
    expect(delegationOf(ds, 'anton', 'm1')).toBeUndefined();
    expect(delegationOf([del({})], 'anton', 'm1')?.id).toBe('d');
    expect(delegationOf(ds, undefined)).toBeUndefined();
    expect(delegationsTo(ds, 'anton', 'm1').map((d) => d.id)).toEqual(['x']);
    expect(delegationsTo(ds, 'berta', 'm1')).toEqual([]);
  });

  it('offers the other voting members with a running seat as proxies', () => {
    expect(proxyCandidates(seats, 'anton', now).map((s) => s.membership_id)).toEqual(['berta']);
  });

  it('lets voting members delegate while the meeting is open and the rules allow it', () => {
    const open = { state: 'invited' as const };
    expect(canDelegate({ proxy_allowed: true }, open, seats, 'anton', now)).toBe(true);
    expect(canDelegate({ proxy_allowed: true }, { state: 'in_session' }, seats, 'anton', now)).toBe(true);
    expect(canDelegate({ proxy_allowed: false }, open, seats, 'anton', now)).toBe(false);
    expect(canDelegate({ proxy_allowed: true }, { state: 'closed' }, seats, 'anton', now)).toBe(false);
    expect(canDelegate({ proxy_allowed: true }, open, seats, 'carl', now)).toBe(false);
    expect(canDelegate({ proxy_allowed: true }, open, seats, 'emil', now)).toBe(false);
    expect(canDelegate({ proxy_allowed: true }, open, seats, undefined, now)).toBe(false);
  });
});
