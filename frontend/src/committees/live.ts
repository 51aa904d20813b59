// Live updates over Server-Sent Events. A meeting's stream says *what* changed; the page
// keeps one counter per part it shows and bumps the counters an event concerns, and each
// part reads itself again when its counter moves (pure reducer, unit-tested). A poll's
// stream carries its state and the number of ballots cast.
import { useEffect, useReducer, useRef } from 'react';
import { every } from '../lib/every';
import type { Poll, PollState } from './model';

/** The parts of a meeting's screens that read themselves again on a change. */
export type Part = 'meeting' | 'agenda' | 'papers' | 'posts' | 'conflicts' | 'attendance' | 'quorum' | 'polls';
export const PARTS: readonly Part[] = ['meeting', 'agenda', 'papers', 'posts', 'conflicts', 'attendance', 'quorum', 'polls'];

export type Versions = Record<Part, number>;
export const INITIAL_VERSIONS: Versions = { meeting: 0, agenda: 0, papers: 0, posts: 0, conflicts: 0, attendance: 0, quorum: 0, polls: 0 };

/**
 * The parts a change event concerns. Attendance and conflicts change the quorum; a new
 * state can change what the polls and papers show (papers freeze on invitation); an
 * unknown word or "changed" (several things at once) reads everything again.
 */
export function partsFor(what: string): Part[] {
  switch (what) {
    case 'agenda':
      return ['agenda'];
    case 'attendance':
      return ['attendance', 'quorum'];
    case 'conflicts':
      return ['conflicts', 'quorum'];
    case 'polls':
      return ['polls'];
    case 'posts':
      return ['posts'];
    case 'papers':
      return ['papers'];
    case 'meeting':
    case 'current_item': // the item the chair called (the meeting's current_item_id)
      return ['meeting'];
    case 'state':
      return ['meeting', 'polls', 'papers', 'attendance', 'quorum'];
    default:
      return [...PARTS];
  }
}

export type LiveAction = { type: 'change'; what: string } | { type: 'reload'; parts: Part[] };

/** Bumps the counters of the parts an event (or an own action) concerns. */
export function liveReducer(state: Versions, action: LiveAction): Versions {
  const parts = action.type === 'change' ? partsFor(action.what) : action.parts;
  if (parts.length === 0) return state;
  const next = { ...state };
  for (const p of parts) next[p] = state[p] + 1;
  return next;
}

/** The "what" of a change event's data ({"what":"agenda"}); "changed" when unreadable. */
export function parseChange(data: string): string {
  try {
    const v = JSON.parse(data) as { what?: unknown };
    return typeof v.what === 'string' ? v.what : 'changed';
  } catch {
    return 'changed';
  }
}

export interface Snapshot {
  state: PollState;
  ballots: number;
}

const POLL_STATES = new Set<PollState>(every<PollState>()(['draft', 'open', 'closed', 'published', 'annulled']));

/** A poll stream's snapshot ({"state":"open","ballots":3}); null when unreadable. */
export function parseSnapshot(data: string): Snapshot | null {
  try {
    const v = JSON.parse(data) as { state?: unknown; ballots?: unknown };
    if (typeof v.state !== 'string' || !POLL_STATES.has(v.state as PollState)) return null;
    if (typeof v.ballots !== 'number' || !Number.isFinite(v.ballots) || v.ballots < 0) return null;
    return { state: v.state as PollState, ballots: Math.floor(v.ballots) };
  } catch {
    return null;
  }
}

// Published follows closed; annulled follows open, closed or published (a meeting's
// published poll may be annulled until its minutes are approved) and is the end.
const order: Record<PollState, number> = { draft: 0, open: 1, closed: 2, published: 3, annulled: 4 };

/**
 * A poll with a snapshot applied. A snapshot never moves a poll back (an older one that
 * arrives after a fresher read is ignored) and a count never shrinks within one state.
 */
export function applySnapshot<P extends Pick<Poll, 'state' | 'ballots'>>(poll: P, s: Snapshot): P {
  // Never back.
  if (order[s.state] < order[poll.state]) return poll;
  if (s.state === poll.state && s.ballots <= poll.ballots) return poll;
  return { ...poll, state: s.state, ballots: s.state === poll.state ? Math.max(poll.ballots, s.ballots) : s.ballots };
}

type Listener = (type: string, data: string) => void;

/**
 * Follows an event stream while the component is mounted (with the session cookie).
 * `onOpen(again)` runs when the stream (re)connects: after a reconnect the page may have
 * missed events and reads again. Does nothing where EventSource is missing (tests).
 */
export function useEventStream(url: string | null, events: string[], onEvent: Listener, onOpen?: (again: boolean) => void): void {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const opened = useRef(onOpen);
  opened.current = onOpen;
  const names = events.join(',');
  useEffect(() => {
    if (!url || typeof EventSource === 'undefined') return;
    const es = new EventSource(url, { withCredentials: true });
    let first = true;
    const onOpenEv = () => {
      opened.current?.(!first);
      first = false;
    };
    es.addEventListener('open', onOpenEv);
    const listeners = names.split(',').map((name) => {
      const fn = (e: MessageEvent) => handler.current(name, typeof e.data === 'string' ? e.data : '');
      es.addEventListener(name, fn as EventListener);
      return [name, fn] as const;
    });
    return () => {
      es.removeEventListener('open', onOpenEv);
      for (const [name, fn] of listeners) es.removeEventListener(name, fn as EventListener);
      es.close();
    };
  }, [url, names]);
}

/** The versions of a meeting's parts, bumped by its live stream; `reload` bumps them by hand. */
export function useMeetingLive(url: string | null): [Versions, (parts: Part[]) => void] {
  const [versions, dispatch] = useReducer(liveReducer, INITIAL_VERSIONS);
  useEventStream(
    url,
    ['change'],
    (_type, data) => dispatch({ type: 'change', what: parseChange(data) }),
    (again) => {
      if (again) dispatch({ type: 'change', what: 'changed' });
    },
  );
  const reload = useRef((parts: Part[]) => dispatch({ type: 'reload', parts })).current;
  return [versions, reload];
}

/** Follows a poll's live count: calls back with each snapshot (null url: not followed). */
export function usePollLive(url: string | null, onSnapshot: (s: Snapshot) => void): void {
  useEventStream(url, ['snapshot'], (_type, data) => {
    const s = parseSnapshot(data);
    if (s) onSnapshot(s);
  });
}
