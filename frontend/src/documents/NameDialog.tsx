import { useState } from 'react';
import { TextField } from '../components/Field';
import { FormDialog } from '../components/FormDialog';
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
  const [name, setName] = useState(initial);
  const fields = useFieldErrors(FIELDS, () => 'name-dialog-field');

  return (
    <FormDialog
      open={open}
      title={title}
      onClose={onClose}
      onOpen={() => setName(initial)}
      fields={fields}
      validate={() => ({ name: requiredError(name) })}
      onSubmit={() => onSubmit(name.trim())}
      submitLabel={submitLabel}
    >
      <TextField id="name-dialog-field" label={label} value={name} maxLength={maxLength} autoFocus onChange={(e) => setName(e.target.value)} error={fields.errors.name} required />
    </FormDialog>
  );
}
