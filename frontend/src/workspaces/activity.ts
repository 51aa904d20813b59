// The workspace's activity feed in words (pure, unit-tested): one German or English
// sentence per entry, and where an entry leads.
import type { Schemas } from '../api/client';
import { documentHref } from '../documents/parts';

export type ActivityEntry = Schemas['ActivityView'];

/** Entries per page of the feed. */
export const ACTIVITY_PAGE = 20;

/** The kinds with a sentence of their own (others read "… hat „…“ geändert"). */
export const ACTIVITY_KINDS = [
  'workspace.created',
  'workspace.updated',
  'workspace.archived',
  'workspace.restored',
  'member.added',
  'member.role_changed',
  'member.removed',
  'member.joined',
  'member.left',
  'guest.admitted',
  'guest.offboarded',
  'document.created',
  'document.revised',
  'document.trashed',
  'consultation.created',
  'consultation.opened',
  'consultation.closed',
  'consultation.extended',
  'consultation.statement',
] as const;

type T = (key: string, opts?: Record<string, string>) => string;

/** The i18n key of an entry's sentence. */
export function activityKey(e: Pick<ActivityEntry, 'kind' | 'actor_id' | 'subject_id'>): string {
  // A guest who accepted their invitation admitted themselves.
  if (e.kind === 'guest.admitted' && e.actor_id && e.actor_id === e.subject_id) return 'activity.kind.guest.admittedSelf';
  return (ACTIVITY_KINDS as readonly string[]).includes(e.kind) ? `activity.kind.${e.kind}` : 'activity.kind.other';
}

/** "Erika Ingenieurin hat „Statik.pdf“ hochgeladen". */
export function activitySentence(e: ActivityEntry, t: T): string {
  return t(activityKey(e), {
    actor: e.actor_name || t('activity.system'),
    subject: e.subject_name || t('activity.someone'),
    object: e.object_title,
  });
}

/** Where an entry leads: a document that is still there, a consultation; else nowhere. */
export function activityHref(slug: string, e: ActivityEntry): string | null {
  if (!e.object_id) return null;
  if (e.object_type === 'document' && e.kind !== 'document.trashed') return documentHref(slug, e.object_id);
  if (e.object_type === 'consultation') return `/t/${slug}/consultations/${e.object_id}`;
  return null;
}
