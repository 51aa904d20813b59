import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { TextAreaField, TextField } from '../components/Field';
import { FormDialog } from '../components/FormDialog';
import { errorField } from '../lib/errors';
import { useFieldErrors } from '../lib/useFieldErrors';
import { requiredError } from '../lib/validation';
import { isoToLocalInput, localInputToISO, type Meeting } from './model';
import { useCommitteesCtx } from './parts';

const FIELDS = ['title', 'starts_at', 'ends_at', 'place', 'online_url'] as const;
const CANCEL_FIELDS = ['reason'] as const;

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
  const fields = useFieldErrors(FIELDS, (f) => `meeting-${f}`);

  const reset = () => {
    setTitle(meeting?.title ?? '');
    setStarts(isoToLocalInput(meeting?.starts_at));
    setEnds(isoToLocalInput(meeting?.ends_at));
    setPlace(meeting?.place ?? '');
    setOnline(meeting?.online_url ?? '');
  };

  const validate = () => {
    const s = localInputToISO(starts);
    const en = localInputToISO(ends);
    const url = online.trim();
    return {
      title: requiredError(title),
      starts_at: s ? undefined : 'committees.meeting.dateRequired',
      ends_at: !en ? 'committees.meeting.dateRequired' : s && en <= s ? 'committees.meeting.endBeforeStart' : undefined,
      online_url: url && !/^https?:\/\/\S+$/i.test(url) ? 'committees.meeting.urlInvalid' : undefined,
    };
  };

  return (
    <FormDialog
      open={open}
      title={meeting ? t('committees.meeting.editTitle') : t('committees.meeting.newTitle')}
      onClose={onClose}
      onOpen={reset}
      fields={fields}
      validate={validate}
      onSubmit={() => onSubmit({ title: title.trim(), starts_at: localInputToISO(starts)!, ends_at: localInputToISO(ends)!, place: place.trim(), online_url: online.trim() })}
      submitLabel={meeting ? t('common.save') : t('committees.meeting.create')}
    >
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
    </FormDialog>
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
  const fields = useFieldErrors(CANCEL_FIELDS, () => 'meeting-cancel-reason');
  const text = meeting.state === 'planned' ? 'committees.meeting.cancelTextPlanned' : mailConfigured ? 'committees.meeting.cancelText' : 'committees.meeting.cancelTextNoMail';
  return (
    <FormDialog
      open={open}
      title={t('committees.meeting.cancelTitle', { title: meeting.title })}
      onClose={onClose}
      onOpen={() => setReason('')}
      fields={fields}
      validate={() => ({ reason: reason.trim() === '' ? 'committees.meeting.cancelReasonRequired' : undefined })}
      onSubmit={() => call(api.POST('/api/v1/t/{tenant}/meetings/{id}/cancel', { params: { path: { tenant: slug, id: meeting.id } }, body: { reason: reason.trim() } }))}
      onServerError={(err) => errorField(err) === 'reason' && fields.show({ reason: t('committees.meeting.cancelReasonRequired') })}
      onDone={onDone}
      submitLabel={t('committees.meeting.cancel')}
    >
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
          if (e.target.value.trim() !== '') fields.clear();
        }}
        error={fields.errors.reason}
        required
        autoFocus
      />
    </FormDialog>
  );
}
