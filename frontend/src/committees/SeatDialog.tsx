import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Checkbox, SelectField, TextField } from '../components/Field';
import { FormDialog } from '../components/FormDialog';
import { PrincipalPicker, type PickedPrincipal } from '../documents/PrincipalPicker';
import { endOfLocalDay, startOfLocalDay } from '../lib/format';
import { useFieldErrors } from '../lib/useFieldErrors';
import { isoToDateInput, SEAT_ROLES, type Seat, type SeatRole } from './model';

const FIELDS = ['membership', 'weight', 'term_start', 'term_end'] as const;

export interface SeatBody {
  role: SeatRole;
  voting: boolean;
  weight: number;
  term_start?: string;
  term_end?: string;
}

/** The day before an exclusive end instant, for the "last day" date field. */
function lastDayInput(end: string | undefined): string {
  if (!end) return '';
  const d = new Date(end);
  if (Number.isNaN(d.getTime())) return '';
  return isoToDateInput(new Date(d.getTime() - 1).toISOString());
}

/**
 * Gives a member of the tenant a seat (found with the member picker), or changes a seat:
 * role, voting right, weight and term (the last day is included).
 */
export function SeatDialog({
  open,
  seat,
  seatName,
  onClose,
  onSubmit,
}: {
  open: boolean;
  /** The seat to change; absent: a new one. */
  seat?: Seat;
  seatName?: string;
  onClose: () => void;
  onSubmit: (membershipId: string, body: SeatBody, name: string) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const [person, setPerson] = useState<PickedPrincipal | null>(null);
  const [role, setRole] = useState<SeatRole>('member');
  const [voting, setVoting] = useState(true);
  const [weight, setWeight] = useState('1');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const fields = useFieldErrors(FIELDS, (f) => (f === 'membership' ? 'seat-person' : `seat-${f}`));

  const reset = () => {
    setPerson(null);
    setRole(seat?.role ?? 'member');
    setVoting(seat?.voting ?? true);
    setWeight(String(seat?.weight ?? 1));
    setStart(seat ? isoToDateInput(seat.term_start) : '');
    setEnd(lastDayInput(seat?.term_end));
  };

  const w = Number(weight);
  const termStart = start ? startOfLocalDay(start) : undefined;
  const termEnd = end ? endOfLocalDay(end) : undefined;
  const validate = () => ({
    membership: !seat && !person ? 'committees.seat.personRequired' : undefined,
    weight: Number.isInteger(w) && w >= 1 && w <= 1000 ? undefined : 'committees.seat.weightInvalid',
    term_end: termStart && termEnd && termEnd <= termStart ? 'committees.seat.termInvalid' : undefined,
  });
  const send = () =>
    onSubmit(
      seat?.membership_id ?? person!.id,
      { role, voting: role === 'advisory' ? false : voting, weight: w, ...(termStart ? { term_start: termStart } : {}), ...(termEnd ? { term_end: termEnd } : {}) },
      seat ? (seatName ?? '') : person!.name,
    );

  return (
    <FormDialog
      open={open}
      title={seat ? t('committees.seat.editTitle', { name: seatName }) : t('committees.seat.addTitle')}
      onClose={onClose}
      onOpen={reset}
      fields={fields}
      validate={validate}
      onSubmit={send}
      submitLabel={seat ? t('common.save') : t('committees.seat.add')}
    >
      {!seat && <PrincipalPicker id="seat-person" kind="user" label={t('committees.seat.person')} onChange={setPerson} error={fields.errors.membership} />}
      <SelectField id="seat-role" label={t('committees.seat.role')} value={role} onChange={(e) => setRole(e.target.value as SeatRole)}>
        {SEAT_ROLES.map((r) => (
          <option key={r} value={r}>
            {t(`committees.role.${r}`)}
          </option>
        ))}
      </SelectField>
      <Checkbox
        id="seat-voting"
        label={t('committees.seat.voting')}
        hint={role === 'advisory' ? t('committees.seat.advisoryHint') : undefined}
        checked={role !== 'advisory' && voting}
        disabled={role === 'advisory'}
        onChange={(e) => setVoting(e.target.checked)}
      />
      <TextField
        id="seat-weight"
        label={t('committees.seat.weight')}
        hint={
          <>
            {t('committees.seat.weightHint')} {t('committees.poll.secretOnePerPerson')}.
          </>
        }
        inputMode="numeric"
        className="app-field--short"
        value={weight}
        onChange={(e) => setWeight(e.target.value)}
        error={fields.errors.weight}
      />
      <div className="app-form--inline">
        <TextField id="seat-term_start" type="date" label={t('committees.seat.termStart')} hint={t('committees.seat.termStartHint')} optional value={start} onChange={(e) => setStart(e.target.value)} error={fields.errors.term_start} />
        <TextField id="seat-term_end" type="date" label={t('committees.seat.termEnd')} hint={t('committees.seat.termEndHint')} optional value={end} onChange={(e) => setEnd(e.target.value)} error={fields.errors.term_end} />
      </div>
    </FormDialog>
  );
}
