// Types and small helpers of the workspace screens (pure, unit-tested): addresses, the
// list's filters, the form's draft and body, and what the caller may do on a workspace
// page (each refusal with the i18n key of its visible reason).
import type { Role, Schemas } from '../api/client';
import type { WorkspaceMemberView } from '../guests/api';
import { every } from '../lib/every';

export type Workspace = Schemas['WorkspaceView'];
/** A member as the list gives them, with name, guest mark and state (issue 12). */
export type WorkspaceMember = WorkspaceMemberView;
export type WorkspaceRole = WorkspaceMember['role'];
export const WORKSPACE_ROLES = every<WorkspaceRole>()(['owner', 'member', 'reader']);
export type Visibility = Workspace['visibility'];
export const VISIBILITIES = every<Visibility>()(['closed', 'open']);

export type Scope = 'mine' | 'directory' | 'all';
export const SCOPES: readonly Scope[] = ['mine', 'directory', 'all'];
export type StateFilter = 'active' | 'archived' | 'any';
export const STATE_FILTERS: readonly StateFilter[] = ['active', 'archived', 'any'];

/** Workspaces per page of the list. */
export const PAGE_SIZE = 20;

export const workspacesBase = (slug: string) => `/t/${slug}/workspaces`;
export const workspaceHref = (slug: string, id: string) => `${workspacesBase(slug)}/${id}`;

/** Whether a tenant role may use the workspaces module fully (staff and administrators: create, join, the directory). */
export function mayUseWorkspaces(role: Role | undefined): boolean {
  return role === 'staff' || role === 'admin';
}

/** Whether a tenant role may open the workspaces module: staff, administrators, and guests (partners) for the workspaces they belong to. */
export function mayOpenWorkspaces(role: Role | undefined): boolean {
  return mayUseWorkspaces(role) || role === 'partner';
}

/** The list filters from the address (?scope=…&state=…); unknown values fall back. */
export function readFilters(params: URLSearchParams, isAdmin: boolean): { scope: Scope; state: StateFilter } {
  const s = params.get('scope') as Scope | null;
  const st = params.get('state') as StateFilter | null;
  const scope: Scope = s && SCOPES.includes(s) && (s !== 'all' || isAdmin) ? s : 'mine';
  const state: StateFilter = st && STATE_FILTERS.includes(st) ? st : 'active';
  return { scope, state };
}

/** What the workspace form holds (dates as the date inputs give them, YYYY-MM-DD). */
export interface WorkspaceDraft {
  name: string;
  purpose: string;
  fileNumber: string;
  startsOn: string;
  endsOn: string;
  /** Membership id of the responsible person; empty: the caller (on create). */
  responsibleId: string;
  visibility: Visibility;
}

export function emptyDraft(): WorkspaceDraft {
  return { name: '', purpose: '', fileNumber: '', startsOn: '', endsOn: '', responsibleId: '', visibility: 'closed' };
}

export function draftOf(w: Workspace): WorkspaceDraft {
  return {
    name: w.name,
    purpose: w.purpose,
    fileNumber: w.file_number,
    startsOn: w.starts_on ?? '',
    endsOn: w.ends_on ?? '',
    responsibleId: w.responsible_id,
    visibility: w.visibility,
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The client-side checks: an i18n key per invalid field. */
export function draftErrors(d: WorkspaceDraft): Partial<Record<'name' | 'starts_on' | 'ends_on', string>> {
  const out: Partial<Record<'name' | 'starts_on' | 'ends_on', string>> = {};
  if (!d.name.trim()) out.name = 'validation.required';
  if (d.startsOn && !DATE.test(d.startsOn)) out.starts_on = 'workspaces.form.dateInvalid';
  if (d.endsOn && !DATE.test(d.endsOn)) out.ends_on = 'workspaces.form.dateInvalid';
  else if (d.startsOn && d.endsOn && DATE.test(d.startsOn) && d.endsOn < d.startsOn) out.ends_on = 'workspaces.form.endBeforeStart';
  return out;
}

export type CreateBody = Schemas['WorkspaceFields'];

/** The body of a new workspace: empty optional fields left out. */
export function createBody(d: WorkspaceDraft): CreateBody {
  const b: CreateBody = { name: d.name.trim(), visibility: d.visibility };
  if (d.purpose.trim()) b.purpose = d.purpose.trim();
  if (d.fileNumber.trim()) b.file_number = d.fileNumber.trim();
  if (d.startsOn) b.starts_on = d.startsOn;
  if (d.endsOn) b.ends_on = d.endsOn;
  if (d.responsibleId) b.responsible_id = d.responsibleId;
  return b;
}

export interface UpdateBody {
  name?: string;
  purpose?: string;
  file_number?: string;
  starts_on?: string;
  ends_on?: string;
  responsible_id?: string;
  visibility?: Visibility;
}

/** The changed fields only (an emptied file number or date is sent empty: it removes it). */
export function updateBody(before: WorkspaceDraft, d: WorkspaceDraft): UpdateBody {
  const b: UpdateBody = {};
  if (d.name.trim() !== before.name) b.name = d.name.trim();
  if (d.purpose.trim() !== before.purpose) b.purpose = d.purpose.trim();
  if (d.fileNumber.trim() !== before.fileNumber) b.file_number = d.fileNumber.trim();
  if (d.startsOn !== before.startsOn) b.starts_on = d.startsOn;
  if (d.endsOn !== before.endsOn) b.ends_on = d.endsOn;
  if (d.responsibleId && d.responsibleId !== before.responsibleId) b.responsible_id = d.responsibleId;
  if (d.visibility !== before.visibility) b.visibility = d.visibility;
  return b;
}

/** An action on a workspace page: allowed, or refused with the i18n key of the reason. */
export type Permit = { ok: true } | { ok: false; reason: string };
const yes: Permit = { ok: true };
const no = (reason: string): Permit => ({ ok: false, reason });

export interface WorkspacePermits {
  edit: Permit;
  archive: Permit;
  restore: Permit;
  members: Permit;
  /** Inviting guests (owners and administrators, on active workspaces). */
  guests: Permit;
  join: Permit;
  leave: Permit;
}

/**
 * What the caller may do on a workspace page. Managing (fields, members, archive) is for
 * owners and administrators (`can_manage`); an archived workspace changes nothing until
 * restored; joining is for staff on open, active workspaces they do not belong to;
 * leaving is for members (the responsible person stays; the last owner is refused by the
 * server with its own message).
 */
export function permits(w: Workspace, me: { membershipId: string; role: Role | undefined }): WorkspacePermits {
  const archived = w.state === 'archived';
  const manage = w.can_manage ? yes : no('workspaces.reason.ownersOnly');
  const active = (p: Permit) => (!p.ok ? p : archived ? no('workspaces.reason.archived') : yes);
  let join: Permit = yes;
  if (w.my_role) join = no('workspaces.reason.alreadyMember');
  else if (!mayUseWorkspaces(me.role)) join = no('workspaces.reason.staffOnly');
  else if (w.visibility !== 'open') join = no('workspaces.reason.closed');
  else if (archived) join = no('workspaces.reason.archived');
  let leave: Permit = yes;
  if (!w.my_role) leave = no('workspaces.reason.notMember');
  else if (archived) leave = no('workspaces.reason.archived');
  else if (me.membershipId && me.membershipId === w.responsible_id) leave = no('workspaces.reason.responsibleStays');
  return {
    edit: active(manage),
    archive: archived ? no('workspaces.reason.alreadyArchived') : manage,
    restore: archived ? manage : no('workspaces.reason.notArchived'),
    members: active(manage),
    guests: active(manage),
    join,
    leave,
  };
}

const roleOrder: Record<WorkspaceRole, number> = { owner: 0, member: 1, reader: 2 };

/** Members by role (owners first), then by name. */
export function sortMembers(ms: readonly WorkspaceMember[], name: (id: string) => string): WorkspaceMember[] {
  return [...ms].sort((a, b) => roleOrder[a.role] - roleOrder[b.role] || name(a.membership_id).localeCompare(name(b.membership_id)));
}

/** The members who may be responsible: those who write (owners and members). */
export function writers(ms: readonly WorkspaceMember[]): WorkspaceMember[] {
  return ms.filter((m) => m.role !== 'reader');
}

/** A YYYY-MM-DD date in the person's language, without time-zone shifts. */
export function formatDay(day: string | undefined, lng: string): string {
  if (!day || !DATE.test(day)) return '';
  const [y, m, d] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(lng, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** The period "1. März 2026 – 31. Dez. 2026", "ab …", "bis …", or empty (i18n keys for the open ends). */
export function periodText(w: Pick<Workspace, 'starts_on' | 'ends_on'>, lng: string, t: (k: string, o?: Record<string, string>) => string): string {
  const from = formatDay(w.starts_on, lng);
  const to = formatDay(w.ends_on, lng);
  if (from && to) return t('workspaces.period.range', { from, to });
  if (from) return t('workspaces.period.from', { from });
  if (to) return t('workspaces.period.to', { to });
  return '';
}

/**
 * Whether the caller may start a consultation in the workspace: staff owners and members
 * of an active workspace; null for guests (not offered to them).
 */
export function consultationPermit(w: Workspace, role: Role | undefined): Permit | null {
  if (role === 'partner') return null;
  if (w.my_role !== 'owner' && w.my_role !== 'member') return no('consultations.reason.writersOnly');
  if (w.state === 'archived') return no('workspaces.reason.archived');
  return yes;
}
