import type { TFunction } from 'i18next';
import { isApiError } from '../api/problem';

export interface ErrorText {
  title: string;
  detail: string;
}

/**
 * What to tell a person about a failed call: the server's own (German or English) title
 * and detail when there are any, the app's text otherwise, plus when to try again.
 */
export function errorText(err: unknown, t: TFunction): ErrorText {
  if (!isApiError(err)) return { title: t('errors.unexpected.title'), detail: t('errors.unexpected.detail') };
  if (err.code === 'network') return { title: t('errors.network.title'), detail: t('errors.network.detail') };
  const title = err.title || t(`errors.codes.${err.code}`, { defaultValue: t('errors.unexpected.title') });
  let detail = err.detail;
  if (err.retryAfter && (err.code === 'account-locked' || err.code === 'rate-limited')) {
    const minutes = Math.ceil(err.retryAfter / 60);
    const wait = err.retryAfter < 90 ? t('errors.retrySeconds', { count: err.retryAfter }) : t('errors.retryMinutes', { count: minutes });
    detail = detail ? `${detail} ${wait}` : wait;
  }
  return { title, detail };
}

/** The field an error belongs to, when the server named one. */
export function errorField(err: unknown): string | undefined {
  if (!isApiError(err) || err.code !== 'invalid-input') return undefined;
  return err.field;
}
