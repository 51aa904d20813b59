// Pure figures of the storage screen.

export interface StorageFigures {
  used_bytes: number;
  reserved_bytes: number;
  quota_bytes?: number | null;
}

export type QuotaLevel = 'unlimited' | 'ok' | 'high' | 'full';

/** Share of the quota from which the screen warns. */
export const HIGH_SHARE = 0.8;

/**
 * How full the quota is: used plus reserved bytes (uploads in progress count, as they do
 * when the server checks an upload), the share in whole percent (capped at 100 for the
 * meter; an operator may lower a quota below the use), and the level the screen shows.
 */
export function quotaState(s: StorageFigures): { taken: number; share: number; percent: number; free: number; level: QuotaLevel } {
  const taken = s.used_bytes + s.reserved_bytes;
  const quota = s.quota_bytes;
  if (quota === undefined || quota === null) return { taken, share: 0, percent: 0, free: Infinity, level: 'unlimited' };
  const share = quota === 0 ? 1 : Math.min(1, taken / quota);
  const percent = quota === 0 ? 100 : Math.min(100, Math.floor((taken / quota) * 100));
  const free = Math.max(0, quota - taken);
  const level: QuotaLevel = free === 0 ? 'full' : share >= HIGH_SHARE ? 'high' : 'ok';
  return { taken, share, percent, free, level };
}
