import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorField } from './errors';
import { isApiError } from '../api/problem';

type Errors<F extends string> = Partial<Record<F, string>>;

/**
 * Field errors of a form: client checks give i18n keys, the server's invalid-input
 * problem names a field and brings its own text. `show` sets them and focuses the first
 * invalid field (in the order given), so that its label and message are read out.
 */
export function useFieldErrors<F extends string>(order: readonly F[], idOf: (f: F) => string) {
  const { t } = useTranslation();
  const [errors, setErrors] = useState<Errors<F>>({});

  const show = useCallback(
    (next: Errors<F>) => {
      setErrors(next);
      const first = order.find((f) => next[f]);
      if (first) setTimeout(() => document.getElementById(idOf(first))?.focus(), 0);
      return first !== undefined;
    },
    [order, idOf],
  );

  /** Client-side keys → messages; returns true when there were errors. */
  const check = useCallback(
    (keys: Partial<Record<F, string | undefined>>) => {
      const next: Errors<F> = {};
      for (const f of order) {
        const k = keys[f];
        if (k) next[f] = t(k);
      }
      return show(next);
    },
    [order, show, t],
  );

  /** Puts a server problem on its field when the form has that field; true if it did. */
  const fromServer = useCallback(
    (err: unknown) => {
      const f = errorField(err) as F | undefined;
      if (f && order.includes(f) && isApiError(err)) {
        show({ [f]: err.detail || err.title } as Errors<F>);
        return true;
      }
      return false;
    },
    [order, show],
  );

  const clear = useCallback(() => setErrors({}), []);
  return { errors, check, fromServer, clear, show };
}

/** The field errors of a form, as `useFieldErrors` gives them. */
export type FieldErrors<F extends string> = ReturnType<typeof useFieldErrors<F>>;
