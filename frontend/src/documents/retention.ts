// A folder's retention of trashed documents, in words, and the check of the days field.
import type { TFunction } from 'i18next';
import type { Schemas } from '../api/client';

export type RetentionView = Schemas['RetentionView'];

/** The longest retention the server accepts (100 years). */
export const MAX_RETENTION_DAYS = 36500;

/** What applies to the folder and where it comes from. */
export function retentionInForce(t: TFunction, r: RetentionView, folderId: string): string {
  if (!r.source_folder_id) return t('docs.retention.none');
  const days = t('docs.retention.days', { count: r.effective_days });
  if (r.source_folder_id === folderId) return t('docs.retention.own', { days });
  if (r.source_folder_name) return t('docs.retention.inheritedFrom', { days, name: r.source_folder_name });
  return t('docs.retention.inherited', { days });
}

/** An i18n key when the days field is not a whole number of days in range. */
export function daysError(text: string): string | undefined {
  const s = text.trim();
  if (s === '') return 'docs.retention.daysRequired';
  if (!/^\d+$/.test(s) || Number(s) > MAX_RETENTION_DAYS) return 'docs.retention.daysRange';
  return undefined;
}
