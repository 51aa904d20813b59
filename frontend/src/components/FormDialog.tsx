import { useEffect, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useAction } from '../lib/useAction';
import type { FieldErrors } from '../lib/useFieldErrors';
import { ErrorAlert } from './Alert';
import { Button } from './Button';
import { Dialog } from './Dialog';

interface FormDialogProps<F extends string, T> {
  open: boolean;
  title: string;
  onClose: () => void;
  /** Puts the form's fields back to their starting values; called each time the dialog opens. */
  onOpen: () => void;
  /** The form's field errors (`useFieldErrors`): cleared on open, set by `validate` and by the server. */
  fields: FieldErrors<F>;
  /** The client-side checks: an i18n key for each invalid field. */
  validate?: () => Partial<Record<F, string | undefined>>;
  /** Sends the form once it is valid; the dialog closes when it succeeds. */
  onSubmit: () => Promise<T>;
  /** Receives what `onSubmit` resolved to, before the dialog closes. */
  onDone?: (result: T) => void;
  /** Takes a server problem that belongs to a field (default: `fields.fromServer`); true if it did. */
  onServerError?: (err: unknown) => boolean;
  submitLabel: string;
  /** Text between the error display and the form. */
  intro?: ReactNode;
  /** The fields. */
  children: ReactNode;
}

/**
 * A dialog with one form: the server's problem above the form, the fields, and a footer
 * with submit (busy while sending) and cancel. On open it resets the fields and clears
 * errors; on submit it runs the client checks (focusing the first invalid field), sends,
 * puts a server problem on its field or above the form, and closes on success. The
 * dialog moves focus in and back out (`Dialog`).
 */
export function FormDialog<F extends string, T>({ open, title, onClose, onOpen, fields, validate, onSubmit, onDone, onServerError, submitLabel, intro, children }: FormDialogProps<F, T>) {
  const { t } = useTranslation();
  const action = useAction();

  useEffect(() => {
    if (!open) return;
    onOpen();
    fields.clear();
    action.setError(null);
  }, [open]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (fields.check(validate?.() ?? {})) return;
    const sent = await action.run(async () => ({ result: await onSubmit() }), onServerError ?? fields.fromServer);
    if (!sent) return;
    onDone?.(sent.result);
    onClose();
  };

  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <ErrorAlert error={action.error} />
      {intro}
      <form className="app-form" onSubmit={submit} noValidate>
        {children}
        <div className="app-actions">
          <Button type="submit" busy={action.busy}>
            {submitLabel}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
