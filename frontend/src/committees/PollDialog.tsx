import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { Checkbox, SelectField, TextAreaField, TextField } from '../components/Field';
import { FormDialog } from '../components/FormDialog';
import { useFieldErrors } from '../lib/useFieldErrors';
import { requiredError } from '../lib/validation';
import { isoToLocalInput, localInputToISO, type AgendaItem, type Poll, type PollKind, type PollMethod, type Rule } from './model';
import { useCommitteesCtx } from './parts';
import { DEFAULT_RULE, RuleFields, ruleInput, type RuleDraft } from './RuleFields';

const FIELDS = ['title', 'options', 'seats', 'deadline', 'rule', 'agenda_item_id'] as const;

/** A poll's rule as the form edits it. */
function ruleDraft(r: Rule): RuleDraft {
  return { majority: r.majority, base: r.base, num: String(r.fraction?.num ?? 1), den: String(r.fraction?.den ?? 2), inclusive: r.fraction?.inclusive ?? false };
}

/** The options of an election, one per line; empty lines dropped. */
export function parseOptions(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

function Radio({ name, id, value, checked, label, onChange }: { name: string; id: string; value: string; checked: boolean; label: string; onChange: (v: string) => void }) {
  return (
    <div className="kern-form-check">
      <input className="kern-form-check__radio" type="radio" id={id} name={name} value={value} checked={checked} onChange={() => onChange(value)} />
      <label className="kern-label" htmlFor={id}>
        {label}
      </label>
    </div>
  );
}

/**
 * Prepares a poll as a draft: on an agenda item (in session), or as a written procedure
 * of the committee with a deadline. Named or secret; yes/no/abstain or an election among
 * options with a number of seats; the committee's majority rule or another one.
 *
 * With `poll` it corrects that draft instead: every field, its rule, and (given the
 * meeting's accepted `items`) the agenda item it belongs to, so that a poll created on the
 * wrong item is moved before it is opened.
 */
export function PollDialog({
  open,
  target,
  poll,
  items,
  title: dialogTitle,
  onClose,
  onCreated,
}: {
  open: boolean;
  target: { agendaItemId: string } | { committeeId: string };
  /** The draft to correct (edit mode). */
  poll?: Poll;
  /** The meeting's accepted items, to move the draft among (edit mode). */
  items?: AgendaItem[];
  title: string;
  onClose: () => void;
  /** The created or corrected poll. */
  onCreated: (p: Poll) => void;
}) {
  const { t } = useTranslation();
  const { slug } = useCommitteesCtx();
  const written = 'committeeId' in target;
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<PollKind>('named');
  const [method, setMethod] = useState<PollMethod>('yes_no_abstain');
  const [options, setOptions] = useState('');
  const [seats, setSeats] = useState('1');
  const [ownRule, setOwnRule] = useState(false);
  const [rule, setRule] = useState<RuleDraft>(DEFAULT_RULE);
  const [deadline, setDeadline] = useState('');
  const [itemId, setItemId] = useState('');
  const editing = poll !== undefined;
  const idp = editing ? `poll-edit-${poll.id}` : 'poll';
  const fields = useFieldErrors(FIELDS, (f) => (f === 'rule' ? `${idp}-rule-num` : f === 'agenda_item_id' ? `${idp}-item` : `${idp}-${f}`));

  const reset = () => {
    setTitle(poll?.title ?? '');
    setKind(poll?.kind ?? 'named');
    setMethod(poll?.method ?? 'yes_no_abstain');
    setOptions(poll ? poll.options.map((o) => o.label).join('\n') : '');
    setSeats(String(poll?.seats ?? 1));
    setOwnRule(editing);
    setRule(poll ? ruleDraft(poll.rule) : DEFAULT_RULE);
    setDeadline(isoToLocalInput(poll?.deadline));
    setItemId(poll?.agenda_item_id ?? ('agendaItemId' in target ? target.agendaItemId : ''));
  };

  const opts = parseOptions(options);
  const n = Number(seats);
  const r = ownRule ? ruleInput(rule) : undefined;
  const due = written ? localInputToISO(deadline) : undefined;
  const validate = () => ({
    title: requiredError(title),
    options: method === 'choice' && opts.length < 2 ? 'committees.poll.optionsRequired' : undefined,
    seats: method === 'choice' && !(Number.isInteger(n) && n >= 1 && n <= Math.max(1, opts.length)) ? 'committees.poll.seatsInvalid' : undefined,
    deadline: written && (!due || Date.parse(due) <= Date.now()) ? 'committees.poll.deadlineInvalid' : undefined,
    rule: r === null ? 'committees.rule.fractionInvalid' : undefined,
  });
  const send = () => {
    const common = {
      title: title.trim(),
      kind,
      method,
      ...(method === 'choice' ? { options: opts, seats: n } : {}),
      ...(r ? { rule: r } : {}),
    };
    if (poll) {
      const body = { ...common, ...(written ? { deadline: due } : itemId && itemId !== poll.agenda_item_id ? { agenda_item_id: itemId } : {}) };
      return call(api.PATCH('/api/v1/t/{tenant}/polls/{id}', { params: { path: { tenant: slug, id: poll.id } }, body }));
    }
    const body = { ...('agendaItemId' in target ? { agenda_item_id: target.agendaItemId } : { committee_id: target.committeeId, deadline: due }), ...common };
    return call(api.POST('/api/v1/t/{tenant}/polls', { params: { path: { tenant: slug } }, body }));
  };

  return (
    <FormDialog
      open={open}
      title={dialogTitle}
      onClose={onClose}
      onOpen={reset}
      fields={fields}
      validate={validate}
      onSubmit={send}
      onDone={onCreated}
      submitLabel={editing ? t('committees.poll.save') : t('committees.poll.create')}
    >
      {editing && !written && items && items.length > 0 && (
        <SelectField id={`${idp}-item`} label={t('committees.poll.item')} hint={t('committees.poll.itemHint')} value={itemId} onChange={(e) => setItemId(e.target.value)} error={fields.errors.agenda_item_id}>
          {items.map((it) => (
            <option key={it.id} value={it.id}>
              {t('committees.poll.itemOption', { number: it.number, title: it.title })}
            </option>
          ))}
        </SelectField>
      )}
      <TextAreaField id={`${idp}-title`} label={t('committees.poll.title')} hint={t('committees.poll.titleHint')} rows={2} maxLength={500} value={title} onChange={(e) => setTitle(e.target.value)} error={fields.errors.title} required />
      <fieldset className="kern-fieldset app-fieldset">
        <legend className="kern-label">{t('committees.poll.kind')}</legend>
        <div className="kern-fieldset__body">
          <Radio name={`${idp}-kind`} id={`${idp}-kind-named`} value="named" checked={kind === 'named'} label={t('committees.poll.named')} onChange={() => setKind('named')} />
          <Radio name={`${idp}-kind`} id={`${idp}-kind-secret`} value="secret" checked={kind === 'secret'} label={t('committees.poll.secret')} onChange={() => setKind('secret')} />
        </div>
        {kind === 'secret' && (
          <p className="kern-hint" data-testid="secret-one-per-person">
            {t('committees.poll.secretOnePerPersonHint')}
          </p>
        )}
      </fieldset>
      <fieldset className="kern-fieldset app-fieldset">
        <legend className="kern-label">{t('committees.poll.method')}</legend>
        <div className="kern-fieldset__body">
          <Radio name={`${idp}-method`} id={`${idp}-method-yna`} value="yes_no_abstain" checked={method === 'yes_no_abstain'} label={t('committees.poll.yesNo')} onChange={() => setMethod('yes_no_abstain')} />
          <Radio name={`${idp}-method`} id={`${idp}-method-choice`} value="choice" checked={method === 'choice'} label={t('committees.poll.choice')} onChange={() => setMethod('choice')} />
        </div>
      </fieldset>
      {method === 'choice' && (
        <>
          <TextAreaField id={`${idp}-options`} label={t('committees.poll.options')} hint={t('committees.poll.optionsHint')} rows={4} value={options} onChange={(e) => setOptions(e.target.value)} error={fields.errors.options} />
          <TextField id={`${idp}-seats`} label={t('committees.poll.seats')} hint={t('committees.poll.seatsHint')} inputMode="numeric" className="app-field--short" value={seats} onChange={(e) => setSeats(e.target.value)} error={fields.errors.seats} />
        </>
      )}
      {written && (
        <TextField id={`${idp}-deadline`} type="datetime-local" label={t('committees.poll.deadline')} hint={t('committees.poll.deadlineHint')} value={deadline} onChange={(e) => setDeadline(e.target.value)} error={fields.errors.deadline} required />
      )}
      {!editing && (
        <Checkbox id={`${idp}-own-rule`} label={t('committees.poll.ownRule')} hint={t('committees.poll.ownRuleHint')} checked={ownRule} onChange={(e) => setOwnRule(e.target.checked)} />
      )}
      {ownRule && <RuleFields idPrefix={`${idp}-rule`} value={rule} onChange={setRule} error={fields.errors.rule} />}
    </FormDialog>
  );
}
