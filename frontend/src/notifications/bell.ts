// The bell's state outside React: the unread count per tenant, written by the bell's live
// stream and by the notifications page after its own changes (both read the same number),
// and the pure rules for what the bell announces.
import { useSyncExternalStore } from 'react';

type Listener = () => void;

const counts = new Map<string, number>();
const listeners = new Set<Listener>();

/** Sets a tenant's unread count (a negative or non-finite number is ignored). */
export function setUnread(tenant: string, n: number): void {
  if (!Number.isFinite(n) || n < 0) return;
  const v = Math.floor(n);
  if (counts.get(tenant) === v) return;
  counts.set(tenant, v);
  for (const fn of listeners) fn();
}

/** A tenant's unread count; undefined while unknown. */
export function getUnread(tenant: string): number | undefined {
  return counts.get(tenant);
}

function subscribe(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The unread count of a tenant, kept current. */
export function useUnread(tenant: string): number | undefined {
  return useSyncExternalStore(
    subscribe,
    () => counts.get(tenant),
    () => counts.get(tenant),
  );
}

/** Forgets every count (tests). */
export function resetBell(): void {
  counts.clear();
  for (const fn of listeners) fn();
}

/** The unread count of a bell stream's snapshot ({"unread":3}); null when unreadable. */
export function parseBell(data: string): number | null {
  try {
    const v = JSON.parse(data) as { unread?: unknown };
    if (typeof v.unread !== 'number' || !Number.isFinite(v.unread) || v.unread < 0) return null;
    return Math.floor(v.unread);
  } catch {
    return null;
  }
}

/**
 * Whether a change of the count is worth announcing: only a rise over the last announced
 * (or first seen) count; reading notifications, which lowers it, is the person's own doing.
 */
export function shouldAnnounce(lastAnnounced: number | undefined, now: number | undefined): boolean {
  return lastAnnounced !== undefined && now !== undefined && now > lastAnnounced;
}

/** How long the count must rest before a rise is announced (a burst is announced once). */
export const ANNOUNCE_DELAY_MS = 2000;

/** The badge's text: the count, "99+" above 99, nothing at zero or while unknown. */
export function badgeText(n: number | undefined): string {
  if (!n) return '';
  return n > 99 ? '99+' : String(n);
}
