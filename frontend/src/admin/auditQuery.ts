import { endOfLocalDay, startOfLocalDay } from '../lib/format';

export interface AuditFilters {
  actor: string;
  action: string;
  from: string; // yyyy-mm-dd, local
  to: string; // yyyy-mm-dd, local, inclusive
}

export type AuditFilterError = 'range';

/** Query parameters for GET /audit from the filter form (dates are whole local days). */
export function auditQuery(f: AuditFilters, cursor?: number, limit = 25) {
  const q: { actor?: string; action?: string; from?: string; to?: string; cursor?: number; limit: number } = { limit };
  if (f.actor) q.actor = f.actor;
  if (f.action.trim()) q.action = f.action.trim();
  const from = f.from ? startOfLocalDay(f.from) : undefined;
  const to = f.to ? endOfLocalDay(f.to) : undefined;
  if (from) q.from = from;
  if (to) q.to = to;
  if (cursor !== undefined) q.cursor = cursor;
  return q;
}

export function auditFilterError(f: AuditFilters): AuditFilterError | undefined {
  if (f.from && f.to && f.from > f.to) return 'range';
  return undefined;
}
