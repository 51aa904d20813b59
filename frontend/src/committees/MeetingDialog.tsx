import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { Dialog } from '../components/Dialog';
import { TextAreaField, TextField } from '../components/Field';
import { errorField } from '../lib/errors';
import { useAction } from '../lib/useAction';
import { useFieldErrors } from '../lib/useFieldErrors';
import { requiredError } from '../lib/validation';
import { isoToLocalInput, localInputToISO, type Meeting } from './model';
import { useCommitteesCtx } from './parts';

const FIELDS = ['title', 'starts_at', 'ends_at', 'place', 'online_url'] as const;

export interface MeetingBody {
  title: string;
  starts_at: string;
  ends_at: string;
  place: string;
  online_url: string;
}

/** Plans a meeting, or changes its title, date and place (while planned or invited). */
export function MeetingDialog({ open, meeting, onClose, onSubmit }: { open: boolean; meeting?: Meeting; onClose: () => void; onSubmit: (body: MeetingBody) => Promise<unknown> }) {
  const { t } = useTranslation();
  const [title, setTitle] = useState('');
  const [starts, setStarts] = useState('');
  const [ends, setEnds] = useState('');
  const [place, setPlace] = useState('');
  const [online, setOnline] = useState('');
  const action = useAction();
  const fields = useFieldErrors(FIELDS, (f) => `meeting-${f}`);

  useEffect(() => {
    if (!open) return;
    setTitle(meeting?.title ?? '');
    setStarts(isoToLocalInput(meeting?.starts_at));
    setEnds(isoToLocalInput(meeting?.ends_at));
    setPlace(meeting?.place ?? '');
    setOnline(meeting?.online_url ?? '');
    fields.clear();
    action.setError(null);
  }, [open]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const s = localInputToISO(starts);
    const en = localInputToISO(ends);
    const url = online.trim();
    if (
      fields.check({
        title: requiredError(title),
        starts_at: s ? undefined : 'committees.meeting.dateRequired',
        ends_at: !en ? 'committees.meeting.dateRequired' : s && en <= s ? 'committees.meeting.endBeforeStart' : undefined,
        online_url: url && !/^https?:\/\/\S+$/i.test(url) ? 'committees.meeting.urlInvalid' : undefined,
      })
    )
      return;
    const ok = await action.run(async () => {
      await onSubmit({ title: title.trim(), starts_at: s!, ends_at: en!, place: place.trim(), online_url: url });
      return true;
    }, fields.fromServer);
    if (ok) onClose();
  };

  return (
    <Dialog open={open} title={meeting ? t('committees.meeting.editTitle') : t('committees.meeting.newTitle')} onClose={onClose}>
      <ErrorAlert error={action.error} />
      <form className="app-form" onSubmit={submit} noValidate>
        <TextField id="meeting-title" label={t('committees.meeting.title')} value={title} maxLength={500} onChange={(e) => setTitle(e.target.value)} error={fields.errors.title} required autoFocus />
        <div className="app-form--inline">
          <TextField id="meeting-starts_at" type="datetime-local" label={t('committees.meeting.starts')} value={starts} onChange={(e) => setStarts(e.target.value)} error={fields.errors.starts_at} required />
          <TextField id="meeting-ends_at" type="datetime-local" label={t('committees.meeting.ends')} value={ends} onChange={(e) => setEnds(e.target.value)} error={fields.errors.ends_at} required />
        </div>
        <TextField id="meeting-place" label={t('committees.meeting.place')} optional value={place} maxLength={500} onChange={(e) => setPlace(e.target.value)} error={fields.errors.place} />
        <TextField
          id="meeting-online_url"
          type="url"
          label={t('committees.meeting.online')}
          hint={t('committees.meeting.onlineHint')}
          optional
          value={online}
          maxLength={2000}
          onChange={(e) => setOnline(e.target.value)}
          error={fields.errors.online_url}
        />
        <div className="app-actions">
          <Button type="submit" busy={action.busy}>
            {meeting ? t('common.save') : t('committees.meeting.create')}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * Cancels a planned or invited meeting with a reason (required, kept with the meeting and
 * sent to everyone invited, with a calendar entry that removes the appointment).
 */
export function CancelMeetingDialog({
  open,
  meeting,
  mailConfigured,
  onClose,
  onDone,
}: {
  open: boolean;
  meeting: Meeting;
  mailConfigured: boolean;
  onClose: () => void;
  onDone: (m: Meeting) => void;
}) {
  const { t } = useTranslation();
  const { slug } = useCommitteesCtx();
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const action = useAction();
  useEffect(() => {
    if (!open) return;
    setReason('');
    setFieldError(undefined);
    action.setError(null);
  }, [open]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim() === '') {
      setFieldError(t('committees.meeting.cancelReasonRequired'));
      document.getElementById('meeting-cancel-reason')?.focus();
      return;
    }
    setFieldError(undefined);
    const res = await action.run(
      () => call(api.POST('/api/v1/t/{tenant}/meetings/{id}/cancel', { params: { path: { tenant: slug, id: meeting.id } }, body: { reason: reason.trim() } })),
      (err) => {
        if (errorField(err) !== 'reason') return false;
        setFieldError(t('committees.meeting.cancelReasonRequired'));
        return true;
      },
    );
    if (res) {
      onDone(res);
      onClose();
    }
  };
  const text = meeting.state === 'planned' ? 'committees.meeting.cancelTextPlanned' : mailConfigured ? 'committees.meeting.cancelText' : 'committees.meeting.cancelTextNoMail';
  return (
    <Dialog open={open} title={t('committees.meeting.cancelTitle', { title: meeting.title })} onClose={onClose}>
      <ErrorAlert error={action.error} />
      <form className="app-form" onSubmit={submit} noValidate>
        <p className="kern-body">{t(text)}</p>
        <TextAreaField
          id="meeting-cancel-reason"
          label={t('committees.meeting.cancelReason')}
          hint={t('committees.meeting.cancelReasonHint')}
          rows={3}
          maxLength={2000}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            if (e.target.value.trim() !== '') setFieldError(undefined);
          }}
          error={fieldError}
          required
          autoFocus
        />
        <div className="app-actions">
          <Button type="submit" busy={action.busy}>
            {t('committees.meeting.cancel')}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
