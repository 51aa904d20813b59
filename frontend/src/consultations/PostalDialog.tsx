import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../api/client';
import { SelectField, TextAreaField, TextField } from '../components/Field';
import { FormDialog } from '../components/FormDialog';
import { useFieldErrors } from '../lib/useFieldErrors';
import { dateTimeInputs, deadlineOf, type Consultation, type Statement } from './model';

type PostalBody = Schemas['PostalStatementInBody'];
type F = 'organisation_id' | 'received_at';
const FIELDS: readonly F[] = ['organisation_id', 'received_at'];
const fieldId = (f: F) => (f === 'organisation_id' ? 'postal-org' : 'postal-date');

/** The client check of the day a letter arrived: valid, not in the future, by the deadline. */
export function receivedError(date: string, time: string, deadline: string, now: Date = new Date()): string | undefined {
  const at = deadlineOf(date, time);
  if (!at) return 'consultations.form.dateInvalid';
  if (new Date(at).getTime() > now.getTime()) return 'consultations.postal.future';
  if (new Date(at).getTime() > new Date(deadline).getTime()) return 'consultations.postal.late';
  return undefined;
}

/**
 * A statement received by post, recorded by staff as the organisation's next version:
 * which organisation, when it arrived, the answer to each question and a general text.
 */
export function PostalDialog({
  open,
  c,
  onClose,
  onSubmit,
  onDone,
}: {
  open: boolean;
  c: Consultation;
  onClose: () => void;
  onSubmit: (body: PostalBody) => Promise<Statement>;
  onDone: (s: Statement) => void;
}) {
  const { t } = useTranslation();
  const [org, setOrg] = useState('');
  const [date, setDate] = useState('');
  const [time, setTime] = useState('');
  const [answers, setAnswers] = useState<string[]>([]);
  const [body, setBody] = useState('');
  const fields = useFieldErrors(FIELDS, fieldId);
  return (
    <FormDialog
      open={open}
      title={t('consultations.postal.title')}
      onClose={onClose}
      onOpen={() => {
        const now = dateTimeInputs(new Date(Math.min(Date.now(), new Date(c.deadline).getTime())).toISOString());
        setOrg('');
        setDate(now.date);
        setTime(now.time);
        setAnswers(c.questions.map(() => ''));
        setBody('');
      }}
      fields={fields}
      validate={() => ({ organisation_id: org ? undefined : 'validation.required', received_at: receivedError(date, time, c.deadline) })}
      onSubmit={() => {
        const b: PostalBody = { organisation_id: org, received_at: deadlineOf(date, time) ?? '', answers };
        if (body.trim()) b.body = body.trim();
        return onSubmit(b);
      }}
      onDone={onDone}
      submitLabel={t('consultations.postal.submit')}
      intro={<p className="kern-body">{t('consultations.postal.intro')}</p>}
    >
      <SelectField id="postal-org" label={t('consultations.answers.organisation')} value={org} onChange={(e) => setOrg(e.target.value)} error={fields.errors.organisation_id} required>
        <option value="">{t('consultations.postal.choose')}</option>
        {c.invitees.map((i) => (
          <option key={i.organisation_id} value={i.organisation_id}>
            {i.name}
          </option>
        ))}
      </SelectField>
      <div className="app-cons-datetime">
        <TextField id="postal-date" type="date" label={t('consultations.postal.receivedOn')} value={date} onChange={(e) => setDate(e.target.value)} error={fields.errors.received_at} required />
        <TextField id="postal-time" type="time" label={t('consultations.fields.time')} value={time} onChange={(e) => setTime(e.target.value)} required />
      </div>
      {c.questions.map((q, i) => (
        <TextAreaField
          key={i}
          id={`postal-a-${i}`}
          label={t('consultations.statement.answerTo', { n: i + 1, question: q })}
          optional
          rows={3}
          value={answers[i] ?? ''}
          onChange={(e) => setAnswers((a) => a.map((x, j) => (j === i ? e.target.value : x)))}
        />
      ))}
      <TextAreaField id="postal-body" label={t('consultations.statement.body')} optional rows={4} value={body} onChange={(e) => setBody(e.target.value)} />
    </FormDialog>
  );
}
