import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../components/Field';
import { FormDialog } from '../components/FormDialog';
import { formatDateTime } from '../lib/format';
import { useFieldErrors } from '../lib/useFieldErrors';
import { dateTimeInputs, deadlineOf, type Consultation } from './model';

const FIELDS = ['deadline'] as const;
const fieldId = () => 'ext-date';

/** The client check of a new deadline: valid, ahead, and later than the current one. */
export function extendError(date: string, time: string, current: string, now: Date = new Date()): string | undefined {
  const at = deadlineOf(date, time);
  if (!at) return 'consultations.form.deadlineInvalid';
  if (new Date(at).getTime() <= now.getTime()) return 'consultations.form.deadlinePast';
  if (new Date(at).getTime() <= new Date(current).getTime()) return 'consultations.extend.notLater';
  return undefined;
}

/** "Frist verlängern": a new deadline (date and time), later than the current one. */
export function ExtendDialog({
  open,
  c,
  onClose,
  onSubmit,
  onDone,
}: {
  open: boolean;
  c: Consultation;
  onClose: () => void;
  onSubmit: (deadline: string) => Promise<Consultation>;
  onDone: (c: Consultation) => void;
}) {
  const { t, i18n } = useTranslation();
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const fields = useFieldErrors(FIELDS, fieldId);
  return (
    <FormDialog
      open={open}
      title={t('consultations.extend.title', { subject: c.subject })}
      onClose={onClose}
      onOpen={() => {
        const later = new Date(Math.max(new Date(c.deadline).getTime(), Date.now()) + 7 * 24 * 3600 * 1000);
        const v = dateTimeInputs(later.toISOString());
        setDate(v.date);
        setTime(dateTimeInputs(c.deadline).time || v.time);
      }}
      fields={fields}
      validate={() => ({ deadline: extendError(date, time, c.deadline) })}
      onSubmit={() => onSubmit(deadlineOf(date, time) ?? '')}
      onDone={onDone}
      submitLabel={t('consultations.extend.submit')}
      intro={<p className="kern-body">{t('consultations.extend.intro', { deadline: formatDateTime(c.deadline, i18n.language) })}</p>}
    >
      <TextField id="ext-date" type="date" label={t('consultations.fields.newDate')} value={date} onChange={(e) => setDate(e.target.value)} error={fields.errors.deadline} required />
      <TextField id="ext-time" type="time" label={t('consultations.fields.time')} value={time} onChange={(e) => setTime(e.target.value)} required />
    </FormDialog>
  );
}
