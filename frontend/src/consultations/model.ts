// Types and small helpers of the consultation screens (pure, unit-tested): addresses,
// the deadline as the form gives it, the form's body, and what the caller may do on a
// consultation page (each refusal with the i18n key of its visible reason).
import type { Schemas } from '../api/client';
import type { Permit } from '../workspaces/model';

export type Consultation = Schemas['ConsultationView'];
export type Invitee = Schemas['ConsultationInviteeView'];
export type Statement = Schemas['StatementView'];
export type StatementVersion = Schemas['StatementVersionView'];
export type StatementFile = Schemas['StatementFileView'];
export type CreateConsultationBody = Schemas['CreateConsultationInBody'];
export type ActivityEntry = Schemas['ActivityView'];
export type CockpitConsultation = Schemas['CockpitConsultationView'];
export type ConsultationState = Consultation['state'];

/** Questions a consultation may have (the form's bound). */
export const MAX_QUESTIONS = 30;

export const consultationHref = (slug: string, id: string) => `/t/${slug}/consultations/${id}`;
export const fileHref = (slug: string, id: string, revision: string) =>
  `/api/v1/t/${encodeURIComponent(slug)}/consultations/${encodeURIComponent(id)}/files/${encodeURIComponent(revision)}/content`;

/** From a date (YYYY-MM-DD) and a time (HH:MM) in the person's time zone to an RFC 3339 instant; undefined when invalid. */
export function deadlineOf(date: string, time: string): string | undefined {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return undefined;
  const at = new Date(Number(d[1]), Number(d[2]) - 1, Number(d[3]), Number(t[1]), Number(t[2]));
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/** An instant as the date and time inputs show it (local time). */
export function dateTimeInputs(iso: string): { date: string; time: string } {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return { date: '', time: '' };
  const p = (n: number) => String(n).padStart(2, '0');
  return { date: `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`, time: `${p(d.getHours())}:${p(d.getMinutes())}` };
}

/** What the "Neues Verfahren" form holds. */
export interface ConsultationDraft {
  subject: string;
  description: string;
  questions: string[];
  date: string;
  time: string;
  organisations: string[];
  documents: string[];
}

export function emptyConsultationDraft(now: Date = new Date()): ConsultationDraft {
  const in14 = new Date(now.getTime() + 14 * 24 * 60 * 60 * 1000);
  const { date } = dateTimeInputs(in14.toISOString());
  return { subject: '', description: '', questions: [''], date, time: '12:00', organisations: [], documents: [] };
}

export type ConsultationField = 'subject' | 'questions' | 'deadline';

/** The client-side checks: an i18n key per invalid field. */
export function consultationErrors(d: ConsultationDraft, now: Date = new Date()): Partial<Record<ConsultationField, string>> {
  const out: Partial<Record<ConsultationField, string>> = {};
  if (!d.subject.trim()) out.subject = 'validation.required';
  if (d.questions.length > MAX_QUESTIONS) out.questions = 'consultations.form.tooManyQuestions';
  const at = deadlineOf(d.date, d.time);
  if (!at) out.deadline = 'consultations.form.deadlineInvalid';
  else if (new Date(at).getTime() <= now.getTime()) out.deadline = 'consultations.form.deadlinePast';
  return out;
}

/** The body of a new consultation: empty questions and optional fields left out. */
export function createConsultationBody(d: ConsultationDraft): CreateConsultationBody {
  const b: CreateConsultationBody = { subject: d.subject.trim(), deadline: deadlineOf(d.date, d.time) ?? '' };
  if (d.description.trim()) b.description = d.description.trim();
  const qs = d.questions.map((q) => q.trim()).filter(Boolean);
  if (qs.length) b.questions = qs;
  if (d.organisations.length) b.organisations = [...d.organisations];
  if (d.documents.length) b.documents = [...d.documents];
  return b;
}

/** Organisations that have submitted a statement, and all invited. */
export function answered(c: Pick<Consultation, 'invitees'>): { answered: number; invited: number } {
  return { answered: c.invitees.filter((i) => i.versions > 0).length, invited: c.invitees.length };
}

/** Whether the deadline has passed. */
export const deadlinePassed = (c: Pick<Consultation, 'deadline'>, now: Date = new Date()) => new Date(c.deadline).getTime() <= now.getTime();

const yes: Permit = { ok: true };
const no = (reason: string): Permit => ({ ok: false, reason });

export interface StaffPermits {
  open: Permit;
  remind: Permit;
  extend: Permit;
  close: Permit;
  postal: Permit;
  synopsis: Permit;
  import: Permit;
}

/**
 * What staff may do on a consultation page. Changing is for the workspace's staff owners
 * and members (`can_manage`); opening needs an invited organisation and a deadline ahead;
 * reminding needs open statements and someone who has not answered; a closed
 * consultation changes no more; synopsis and import need a submitted statement.
 */
export function staffPermits(c: Consultation, now: Date = new Date()): StaffPermits {
  if (!c.can_manage) {
    const r = no('consultations.reason.managersOnly');
    return { open: r, remind: r, extend: r, close: r, postal: r, synopsis: r, import: r };
  }
  const closed = c.state === 'closed';
  const passed = deadlinePassed(c, now);
  const { answered: done, invited } = answered(c);
  let open: Permit = yes;
  if (c.state !== 'draft') open = no('consultations.reason.alreadyOpen');
  else if (invited === 0) open = no('consultations.reason.noInvitees');
  else if (passed) open = no('consultations.reason.deadlinePassed');
  let remind: Permit = yes;
  if (closed) remind = no('consultations.reason.closed');
  else if (c.state === 'draft') remind = no('consultations.reason.notOpen');
  else if (!c.accepting || passed) remind = no('consultations.reason.deadlinePassed');
  else if (done >= invited) remind = no('consultations.reason.allAnswered');
  const extend = closed ? no('consultations.reason.closed') : yes;
  const close = closed ? no('consultations.reason.closed') : c.state === 'draft' ? no('consultations.reason.notOpen') : yes;
  const postal = closed ? no('consultations.reason.closed') : c.state === 'draft' ? no('consultations.reason.notOpen') : invited === 0 ? no('consultations.reason.noInvitees') : yes;
  const filed = done === 0 ? no('consultations.reason.noStatements') : yes;
  return { open, remind, extend, close, postal, synopsis: filed, import: filed };
}

/** Whether a guest may write (save, submit) now: statements are taken; else why not. */
export function guestPermit(c: Consultation, now: Date = new Date()): Permit {
  if (c.state === 'closed') return no('consultations.reason.closed');
  if (c.state === 'draft') return no('consultations.reason.notOpen');
  if (!c.accepting || deadlinePassed(c, now)) return no('consultations.reason.deadlinePassed');
  return yes;
}

/** The answers of a draft, one per question (missing ones empty, extra ones dropped). */
export function answersFor(questions: readonly string[], answers: readonly string[] | undefined): string[] {
  return questions.map((_, i) => answers?.[i] ?? '');
}
