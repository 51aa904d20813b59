import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { Dialog } from '../components/Dialog';
import { TextField } from '../components/Field';
import { useAction } from '../lib/useAction';
import { useFieldErrors } from '../lib/useFieldErrors';
import { requiredError } from '../lib/validation';

const FIELDS = ['name'] as const;

/** Asks for a name (new folder, rename); the server's reason for refusing shows at the field. */
export function NameDialog({
  open,
  title,
  label,
  initial = '',
  submitLabel,
  maxLength = 255,
  onSubmit,
  onClose,
}: {
  open: boolean;
  title: string;
  label: string;
  initial?: string;
  submitLabel: string;
  maxLength?: number;
  onSubmit: (name: string) => Promise<unknown>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState(initial);
  const action = useAction();
  const fields = useFieldErrors(FIELDS, () => 'name-dialog-field');
  useEffect(() => {
    if (open) {
      setName(initial);
      fields.clear();
      action.setError(null);
    }
  }, [open]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (fields.check({ name: requiredError(name) })) return;
    const ok = await action.run(async () => {
      await onSubmit(name.trim());
      return true;
    }, fields.fromServer);
    if (ok) onClose();
  };

  return (
    <Dialog open={open} title={title} onClose={onClose}>
      <ErrorAlert error={action.error} />
      <form className="app-form" onSubmit={submit} noValidate>
        <TextField
          id="name-dialog-field"
          label={label}
          value={name}
          maxLength={maxLength}
          autoFocus
          onChange={(e) => setName(e.target.value)}
          error={fields.errors.name}
          required
        />
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
