import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { Dialog } from '../components/Dialog';
import { Checkbox, TextAreaField, TextField } from '../components/Field';
import { useAction } from '../lib/useAction';
import { useFieldErrors } from '../lib/useFieldErrors';
import { requiredError } from '../lib/validation';
import { localInputToISO, type Poll } from './model';
import { useCommitteesCtx } from './parts';
import { DEFAULT_RULE, RuleFields, ruleInput, type RuleDraft } from './RuleFields';

const FIELDS = ['title', 'options', 'seats', 'deadline', 'rule'] as const;

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
 */
export function PollDialog({
  open,
  target,
  title: dialogTitle,
  onClose,
  onCreated,
}: {
  open: boolean;
  target: { agendaItemId: string } | { committeeId: string };
  title: string;
  onClose: () => void;
  onCreated: (p: Poll) => void;
}) {
  const { t } = useTranslation();
  const { slug } = useCommitteesCtx();
  const written = 'committeeId' in target;
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<'named' | 'secret'>('named');
  const [method, setMethod] = useState<'yes_no_abstain' | 'choice'>('yes_no_abstain');
  const [options, setOptions] = useState('');
  const [seats, setSeats] = useState('1');
  const [ownRule, setOwnRule] = useState(false);
  const [rule, setRule] = useState<RuleDraft>(DEFAULT_RULE);
  const [deadline, setDeadline] = useState('');
  const action = useAction();
  const fields = useFieldErrors(FIELDS, (f) => (f === 'rule' ? 'poll-rule-num' : `poll-${f}`));

  useEffect(() => {
    if (!open) return;
    setTitle('');
    setKind('named');
    setMethod('yes_no_abstain');
    setOptions('');
    setSeats('1');
    setOwnRule(false);
    setRule(DEFAULT_RULE);
    setDeadline('');
    fields.clear();
    action.setError(null);
  }, [open]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const opts = parseOptions(options);
    const n = Number(seats);
    const r = ownRule ? ruleInput(rule) : undefined;
    const due = written ? localInputToISO(deadline) : undefined;
    if (
      fields.check({
        title: requiredError(title),
        options: method === 'choice' && opts.length < 2 ? 'committees.poll.optionsRequired' : undefined,
        seats: method === 'choice' && !(Number.isInteger(n) && n >= 1 && n <= Math.max(1, opts.length)) ? 'committees.poll.seatsInvalid' : undefined,
        deadline: written && (!due || Date.parse(due) <= Date.now()) ? 'committees.poll.deadlineInvalid' : undefined,
        rule: r === null ? 'committees.rule.fractionInvalid' : undefined,
      })
    )
      return;
    const body = {
      ...('agendaItemId' in target ? { agenda_item_id: target.agendaItemId } : { committee_id: target.committeeId, deadline: due }),
      title: title.trim(),
      kind,
      method,
      ...(method === 'choice' ? { options: opts, seats: n } : {}),
      ...(r ? { rule: r } : {}),
    };
    const p = await action.run(() => call(api.POST('/api/v1/t/{tenant}/polls', { params: { path: { tenant: slug } }, body })), fields.fromServer);
    if (p) {
      onCreated(p);
      onClose();
    }
  };

  return (
    <Dialog open={open} title={dialogTitle} onClose={onClose}>
      <ErrorAlert error={action.error} />
      <form className="app-form" onSubmit={submit} noValidate>
        <TextAreaField id="poll-title" label={t('committees.poll.title')} hint={t('committees.poll.titleHint')} rows={2} maxLength={500} value={title} onChange={(e) => setTitle(e.target.value)} error={fields.errors.title} required />
        <fieldset className="kern-fieldset app-fieldset">
          <legend className="kern-label">{t('committees.poll.kind')}</legend>
          <div className="kern-fieldset__body">
            <Radio name="poll-kind" id="poll-kind-named" value="named" checked={kind === 'named'} label={t('committees.poll.named')} onChange={() => setKind('named')} />
            <Radio name="poll-kind" id="poll-kind-secret" value="secret" checked={kind === 'secret'} label={t('committees.poll.secret')} onChange={() => setKind('secret')} />
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
            <Radio name="poll-method" id="poll-method-yna" value="yes_no_abstain" checked={method === 'yes_no_abstain'} label={t('committees.poll.yesNo')} onChange={() => setMethod('yes_no_abstain')} />
            <Radio name="poll-method" id="poll-method-choice" value="choice" checked={method === 'choice'} label={t('committees.poll.choice')} onChange={() => setMethod('choice')} />
          </div>
        </fieldset>
        {method === 'choice' && (
          <>
            <TextAreaField id="poll-options" label={t('committees.poll.options')} hint={t('committees.poll.optionsHint')} rows={4} value={options} onChange={(e) => setOptions(e.target.value)} error={fields.errors.options} />
            <TextField id="poll-seats" label={t('committees.poll.seats')} hint={t('committees.poll.seatsHint')} inputMode="numeric" className="app-field--short" value={seats} onChange={(e) => setSeats(e.target.value)} error={fields.errors.seats} />
          </>
        )}
        {written && (
          <TextField id="poll-deadline" type="datetime-local" label={t('committees.poll.deadline')} hint={t('committees.poll.deadlineHint')} value={deadline} onChange={(e) => setDeadline(e.target.value)} error={fields.errors.deadline} required />
        )}
        <Checkbox id="poll-own-rule" label={t('committees.poll.ownRule')} hint={t('committees.poll.ownRuleHint')} checked={ownRule} onChange={(e) => setOwnRule(e.target.checked)} />
        {ownRule && <RuleFields idPrefix="poll-rule" value={rule} onChange={setRule} error={fields.errors.rule} />}
        <div className="app-actions">
          <Button type="submit" busy={action.busy}>
            {t('committees.poll.create')}
          </Button>
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
