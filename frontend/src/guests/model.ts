// Guests (Gäste, role partner): addresses, the access dates (a guest's last day, chosen
// as YYYY-MM-DD in the person's local calendar), and what may be done with a guest (each
// refusal with the i18n key of its visible reason). Pure and unit-tested.
import type { Role } from '../api/client';
import type { GuestView } from './api';

export const guestsBase = (slug: string) => `/t/${slug}/guests`;
export const guestHref = (slug: string, id: string) => `${guestsBase(slug)}/${id}`;

/** Days of access a new guest gets, and a renewal without a date (the server's default). */
export const DEFAULT_ACCESS_DAYS = 180;
/** The latest last day: two years from today (the server's limit). */
export const MAX_ACCESS_YEARS = 2;
/** Days without a sign-in after which a guest counts as stale (the server's `stale=true`). */
export const STALE_DAYS = 90;

/** Whether a tenant role may look after guests (sponsors: staff; administrators: all). */
export function mayManageGuests(role: Role | undefined): boolean {
  return role === 'staff' || role === 'admin';
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A local calendar day as YYYY-MM-DD. */
export function isoDay(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** `days` after the local day of `from`, as YYYY-MM-DD. */
export function daysFrom(from: Date, days: number): string {
  return isoDay(new Date(from.getFullYear(), from.getMonth(), from.getDate() + days));
}

/** `years` after the local day of `from` (29 February becomes 28 February), as YYYY-MM-DD. */
export function yearsFrom(from: Date, years: number): string {
  const d = new Date(from.getFullYear() + years, from.getMonth(), from.getDate());
  if (d.getMonth() !== from.getMonth()) d.setDate(0);
  return isoDay(d);
}

/** Whether `s` is a real calendar day in the form YYYY-MM-DD. */
export function isDay(s: string): boolean {
  const m = DAY.exec(s);
  if (!m) return false;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return d.getFullYear() === Number(m[1]) && d.getMonth() === Number(m[2]) - 1 && d.getDate() === Number(m[3]);
}

/** The first and last day a guest's access may end on, and the default. */
export function accessBounds(now: Date = new Date()): { min: string; max: string; initial: string } {
  return { min: isoDay(now), max: yearsFrom(now, MAX_ACCESS_YEARS), initial: daysFrom(now, DEFAULT_ACCESS_DAYS) };
}

/** The i18n key of what is wrong with a chosen last day of access, or undefined. */
export function accessDayError(value: string, now: Date = new Date()): string | undefined {
  if (!value) return 'guests.until.required';
  if (!isDay(value)) return 'guests.until.invalid';
  const { min, max } = accessBounds(now);
  if (value < min) return 'guests.until.past';
  if (value > max) return 'guests.until.tooLate';
  return undefined;
}

/** An action on a guest: allowed, or refused with the i18n key of the reason. */
export type GuestPermit = { ok: true } | { ok: false; reason: string };

/**
 * What may be done with a guest the caller sees (the sponsor or an administrator):
 * renewing also reopens an expired or offboarded guest's access; a deactivated
 * membership is the administrators' business in the member list; ending the access is
 * for guests who still have it.
 */
export function guestPermits(g: Pick<GuestView, 'state'>): { renew: GuestPermit; offboard: GuestPermit } {
  return {
    renew: g.state === 'deactivated' ? { ok: false, reason: 'guests.reason.deactivated' } : { ok: true },
    offboard:
      g.state === 'deactivated' ? { ok: false, reason: 'guests.reason.deactivated' } : g.state === 'offboarded' ? { ok: false, reason: 'guests.reason.offboarded' } : { ok: true },
  };
}

/** The badge colour of a guest's state. */
export function stateVariant(s: GuestView['state']): 'success' | 'warning' | 'danger' | 'info' {
  return s === 'active' ? 'success' : s === 'expired' ? 'warning' : s === 'offboarded' ? 'info' : 'danger';
}

/** A guest's name for people: their display name, else their address. */
export function guestName(g: Pick<GuestView, 'display_name' | 'email'>): string {
  return g.display_name || g.email;
}

/** Guests by name as people read it. */
export function sortGuests<T extends Pick<GuestView, 'display_name' | 'email'>>(gs: readonly T[], lng: string): T[] {
  const c = new Intl.Collator(lng, { sensitivity: 'base', numeric: true });
  return [...gs].sort((a, b) => c.compare(guestName(a), guestName(b)));
}
