// Types and small helpers of the committee screens (pure, unit-tested): seats and terms,
// meeting states, agenda order, quorum and majority rules, and the figures of a result.
import type { Schemas } from '../api/client';
import type { operations } from '../api/schema';
import { every } from '../lib/every';

export type Committee = Schemas['CommitteeView'];
export type Seat = Schemas['CommitteeMemberView'];
export type Meeting = Schemas['MeetingView'];
export type AgendaItem = Schemas['AgendaItemView'];
export type Paper = Schemas['PaperView'];
export type Post = Schemas['PostView'];
export type Conflict = Schemas['ConflictView'];
export type Attendance = Schemas['AttendanceView'];
export type Quorum = Schemas['QuorumView'];
export type Poll = Schemas['PollView'];
export type PollResult = Schemas['PollResultView'];
export type NamedVote = Schemas['NamedVoteView'];
export type Receipt = Schemas['ReceiptView'];
export type Minutes = Schemas['MinutesView'];
export type MinutesItem = Schemas['MinutesItemView'];
export type Fraction = Schemas['FractionView'];
export type Rule = Schemas['RuleView'];
export type Delegation = Schemas['DelegationView'];
export type ProxyBallot = Schemas['ProxyBallotView'];
/** The standing delegations of a poll the caller takes part in, and the ballots they cast as proxy. */
export interface PollDelegations {
  delegations: Delegation[];
  proxy_for: ProxyBallot[];
}

export type SeatRole = Seat['role'];
export const SEAT_ROLES = every<SeatRole>()(['chair', 'deputy_chair', 'secretary', 'member', 'deputy_member', 'advisory']);
export type MeetingState = Meeting['state'];
/** The states a manager moves a meeting to by hand (minutes approval is its own step). */
export type MeetingStep = Exclude<Schemas['MeetingTransitionInBody']['to'], 'minutes_approved'>;
export type PollState = Poll['state'];
export type PollKind = Poll['kind'];
export type PollMethod = Poll['method'];
export type Majority = Rule['majority'];
export const MAJORITIES = every<Majority>()(['simple', 'absolute', 'two_thirds', 'custom']);
export type Base = Rule['base'];
export const BASES = every<Base>()(['cast', 'present', 'members']);
export type AttendanceStatus = Attendance['status'];
/** A vote on a yes/no/abstain poll (an election's ballot names options instead). */
export type Choice = Exclude<Schemas['CastBallotInBody']['choice'], 'options' | undefined>;
export const CHOICES = every<Choice>()(['yes', 'no', 'abstain']);

export const committeesBase = (slug: string) => `/t/${slug}/committees`;
export const committeeHref = (slug: string, id: string) => `/t/${slug}/committees/${id}`;
export const meetingHref = (slug: string, id: string) => `/t/${slug}/meetings/${id}`;
export const consoleHref = (slug: string, id: string) => `/t/${slug}/meetings/${id}/console`;
export const minutesHref = (slug: string, id: string) => `/t/${slug}/meetings/${id}/minutes`;
export const pollHref = (slug: string, id: string) => `/t/${slug}/polls/${id}`;

const apiBase = (slug: string) => `/api/v1/t/${encodeURIComponent(slug)}`;

/** The variants of the minutes' PDF (the query parameter; empty means full). */
export type MinutesVariant = Exclude<NonNullable<operations['download-minutes-pdf']['parameters']['query']>['variant'], '' | undefined>;

/** The minutes as PDF: full (non-public items marked) or the public variant. */
export function minutesPdfURL(slug: string, meetingId: string, variant: MinutesVariant): string {
  const path = `${apiBase(slug)}/meetings/${encodeURIComponent(meetingId)}/minutes.pdf`;
  return variant === 'public' ? `${path}?variant=public` : path;
}

/**
 * A session paper's frozen revision, for everyone who sees its agenda item (whatever the
 * document's folder allows); inline for the preview.
 */
export function paperContentURL(slug: string, itemId: string, documentId: string, inline = false): string {
  const path = `${apiBase(slug)}/agenda-items/${encodeURIComponent(itemId)}/papers/${encodeURIComponent(documentId)}/content`;
  return inline ? `${path}?disposition=inline` : path;
}

/** The decision extract (Beschlussauszug) of an agenda item. */
export function extractPdfURL(slug: string, itemId: string): string {
  return `${apiBase(slug)}/agenda-items/${encodeURIComponent(itemId)}/extract.pdf`;
}

/** The live streams (Server-Sent Events). */
export const meetingEventsURL = (slug: string, id: string) => `${apiBase(slug)}/meetings/${encodeURIComponent(id)}/events`;
export const pollEventsURL = (slug: string, id: string) => `${apiBase(slug)}/polls/${encodeURIComponent(id)}/events`;

/** Whether a seat's term runs at `now` (start inclusive, end exclusive). */
export function seatRunning(s: Pick<Seat, 'term_start' | 'term_end'>, now: Date = new Date()): boolean {
  const start = Date.parse(s.term_start);
  const end = s.term_end ? Date.parse(s.term_end) : Infinity;
  const t = now.getTime();
  return (Number.isNaN(start) || start <= t) && t < end;
}

/** Where a seat's term stands: running, not begun yet, or over. */
export function seatPhase(s: Pick<Seat, 'term_start' | 'term_end'>, now: Date = new Date()): 'running' | 'future' | 'ended' {
  if (seatRunning(s, now)) return 'running';
  return Date.parse(s.term_start) > now.getTime() ? 'future' : 'ended';
}

const roleOrder: Record<SeatRole, number> = { chair: 0, deputy_chair: 1, secretary: 2, member: 3, deputy_member: 4, advisory: 5 };

/** Seats for the table: running ones first (by role, then name), then future and ended ones. */
export function sortSeats(seats: Seat[], name: (membershipId: string) => string, now: Date = new Date()): Seat[] {
  const phase = { running: 0, future: 1, ended: 2 };
  return [...seats].sort(
    (a, b) =>
      phase[seatPhase(a, now)] - phase[seatPhase(b, now)] ||
      roleOrder[a.role] - roleOrder[b.role] ||
      name(a.membership_id).localeCompare(name(b.membership_id)),
  );
}

/** The one next state a manager can move a meeting to by hand (minutes approval is its own step). */
export function nextMeetingState(state: MeetingState): MeetingStep | null {
  switch (state) {
    case 'planned':
      return 'invited';
    case 'invited':
      return 'in_session';
    case 'in_session':
      return 'closed';
    default:
      return null;
  }
}

/** Whether the agenda, papers and discussion of a meeting can still change. */
export function meetingOpen(state: MeetingState): boolean {
  return state === 'planned' || state === 'invited' || state === 'in_session';
}

/** The order of every item with one moved up (-1) or down (+1); unchanged at the edges. */
export function moveInOrder(ids: string[], id: string, delta: -1 | 1): string[] {
  const i = ids.indexOf(id);
  const j = i + delta;
  if (i < 0 || j < 0 || j >= ids.length) return ids;
  const out = [...ids];
  [out[i], out[j]] = [out[j], out[i]];
  return out;
}

/**
 * The whole agenda's new order (every item, proposals included, as the API wants it) after
 * moving an accepted item up or down past its accepted neighbour; the other items keep
 * their places.
 */
export function reorderAccepted(items: Pick<AgendaItem, 'id' | 'position' | 'state'>[], id: string, delta: -1 | 1): string[] {
  const full = [...items].sort((a, b) => a.position - b.position);
  const accepted = full.filter((i) => i.state === 'accepted').map((i) => i.id);
  const moved = moveInOrder(accepted, id, delta);
  let k = 0;
  return full.map((i) => (i.state === 'accepted' ? moved[k++] : i.id));
}

/** The accepted items of an agenda, in order (those that carry numbers). */
export function acceptedItems(items: AgendaItem[]): AgendaItem[] {
  return items.filter((i) => i.state === 'accepted').sort((a, b) => a.position - b.position);
}

/** The accepted item the chair called in a meeting in session ("jetzt: TOP 3"); undefined when none. */
export function calledItem(meeting: Pick<Meeting, 'state' | 'current_item_id'>, items: AgendaItem[]): AgendaItem | undefined {
  if (meeting.state !== 'in_session' || !meeting.current_item_id) return undefined;
  return items.find((i) => i.id === meeting.current_item_id && i.state === 'accepted');
}

/**
 * The least weight that reaches a share of `total`: more than num/den of it, or at least
 * num/den when the share is inclusive. 0 when nobody counts.
 */
export function weightNeeded(total: number, f: Fraction): number {
  if (total <= 0 || f.den <= 0) return 0;
  const exact = (total * f.num) / f.den;
  if (f.inclusive) return Math.ceil(exact - 1e-9);
  return Math.floor(exact + 1e-9) + 1;
}

/** A share in words' place: 1/2 → "1/2"; 2/3 → "2/3". */
export function fractionText(f: Fraction): string {
  return `${f.num}/${f.den}`;
}

/** Whether a date-time-local input value ("2026-05-04T18:30") is filled and valid. */
export function localInputValid(v: string): boolean {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(v) && !Number.isNaN(new Date(v).getTime());
}

/** A datetime-local value (local time) as an RFC 3339 instant; undefined when invalid. */
export function localInputToISO(v: string): string | undefined {
  if (!localInputValid(v)) return undefined;
  return new Date(v).toISOString();
}

/** An instant as a datetime-local value in local time ("2026-05-04T18:30"). */
export function isoToLocalInput(iso: string | undefined | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** An instant as a date input value in local time ("2026-05-04"). */
export function isoToDateInput(iso: string | undefined | null): string {
  return isoToLocalInput(iso).slice(0, 10);
}

/** One bar of a result: what it counts, how many (weighted) votes, its share of the votes cast. */
export interface ResultRow {
  key: string;
  /** i18n key (yes/no/abstain) or the option's label (elections) */
  label: string;
  translate: boolean;
  votes: number;
  /** Share of the weight cast, 0..100 (one decimal) */
  percent: number;
  /** Bar length relative to the largest row, 0..100 */
  bar: number;
  elected?: boolean;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The rows of a result's chart and table: yes/no/abstain, or each option of an election
 * in the poll's order (with abstentions last, when there were any). Percentages are of
 * the weight cast; bars are scaled to the largest row so that small counts stay visible.
 */
export function resultRows(poll: Pick<Poll, 'method' | 'options'>, r: Pick<PollResult, 'yes' | 'no' | 'abstain' | 'cast_weight' | 'option_votes' | 'elected'>): ResultRow[] {
  let rows: Omit<ResultRow, 'percent' | 'bar'>[];
  if (poll.method === 'yes_no_abstain') {
    rows = [
      { key: 'yes', label: 'committees.vote.yes', translate: true, votes: r.yes },
      { key: 'no', label: 'committees.vote.no', translate: true, votes: r.no },
      { key: 'abstain', label: 'committees.vote.abstain', translate: true, votes: r.abstain },
    ];
  } else {
    const votes = new Map((r.option_votes ?? []).map((o) => [o.option_id, o.votes]));
    const elected = new Set(r.elected ?? []);
    rows = [...(poll.options ?? [])]
      .sort((a, b) => a.position - b.position)
      .map((o) => ({ key: o.id, label: o.label, translate: false, votes: votes.get(o.id) ?? 0, elected: elected.has(o.id) }));
    if (r.abstain > 0) rows.push({ key: 'abstain', label: 'committees.vote.abstain', translate: true, votes: r.abstain });
  }
  const max = Math.max(0, ...rows.map((x) => x.votes));
  const cast = r.cast_weight > 0 ? r.cast_weight : rows.reduce((n, x) => n + x.votes, 0);
  return rows.map((x) => ({
    ...x,
    percent: cast > 0 ? round1((x.votes / cast) * 100) : 0,
    bar: max > 0 ? round1((x.votes / max) * 100) : 0,
  }));
}

/** The verdict of a result as an i18n key: adopted/rejected, elected/undecided. */
export function verdictKey(poll: Pick<Poll, 'method'>, r: Pick<PollResult, 'passed' | 'tie_at_cut'>): string {
  if (poll.method === 'choice') {
    if (r.tie_at_cut) return 'committees.result.tie';
    return r.passed ? 'committees.result.elected' : 'committees.result.notFilled';
  }
  return r.passed ? 'committees.result.adopted' : 'committees.result.rejected';
}

/** Which options an election's ballot may still add: none once `seats` are chosen. */
export function toggleOption(chosen: string[], id: string, seats: number): string[] {
  if (chosen.includes(id)) return chosen.filter((x) => x !== id);
  if (chosen.length >= seats) return chosen;
  return [...chosen, id];
}

/**
 * The standing delegation of `me`'s vote, if any: for a poll any that covers it (the
 * poll's own or its meeting's); with `meetingId`, only the one for that whole meeting.
 */
export function delegationOf(ds: Delegation[], me: string | undefined, meetingId?: string): Delegation | undefined {
  if (!me) return undefined;
  return ds.find((d) => d.from_membership_id === me && (meetingId === undefined || d.meeting_id === meetingId));
}

/** The delegations of a meeting in which `me` is the proxy (for the meeting as a whole). */
export function delegationsTo(ds: Delegation[], me: string | undefined, meetingId: string): Delegation[] {
  return me ? ds.filter((d) => d.to_membership_id === me && d.meeting_id === meetingId) : [];
}

/** Who may take `me`'s vote: the other voting members of the committee with a running seat (no advisory seats). */
export function proxyCandidates(seats: Seat[], me: string | undefined, now: Date = new Date()): Seat[] {
  return seats.filter((s) => s.membership_id !== me && s.voting && s.role !== 'advisory' && seatRunning(s, now));
}

/**
 * Whether `me` may hand their vote on for a meeting: the committee's rules allow it, the
 * meeting has not closed, and `me` holds a running seat with a voting right.
 */
export function canDelegate(committee: Pick<Committee, 'proxy_allowed'>, meeting: Pick<Meeting, 'state'>, seats: Seat[], me: string | undefined, now: Date = new Date()): boolean {
  if (!committee.proxy_allowed || !me || !meetingOpen(meeting.state)) return false;
  return seats.some((s) => s.membership_id === me && s.voting && seatRunning(s, now));
}
