import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Checkbox, SelectField, TextAreaField, TextField } from '../components/Field';
import { FormDialog } from '../components/FormDialog';
import { useFieldErrors } from '../lib/useFieldErrors';
import { requiredError } from '../lib/validation';
import type { Committee } from './model';
import { DEFAULT_RULE, RuleFields, ruleInput, type RuleDraft } from './RuleFields';

const FIELDS = ['name', 'default_rule'] as const;

/** The quorum choices: a share of the voting weight that must be present. */
export const QUORUMS = {
  half: { num: 1, den: 2, inclusive: false },
  halfAtLeast: { num: 1, den: 2, inclusive: true },
  twoThirds: { num: 2, den: 3, inclusive: true },
} as const;
type QuorumKey = keyof typeof QUORUMS;

function quorumKey(c?: Committee): QuorumKey {
  const q = c?.quorum;
  if (!q) return 'half';
  return (Object.keys(QUORUMS) as QuorumKey[]).find((k) => QUORUMS[k].num === q.num && QUORUMS[k].den === q.den && QUORUMS[k].inclusive === q.inclusive) ?? 'half';
}

function ruleDraft(c?: Committee): RuleDraft {
  if (!c) return DEFAULT_RULE;
  const r = c.default_rule;
  return { majority: r.majority, base: r.base, num: String(r.fraction?.num ?? 1), den: String(r.fraction?.den ?? 2), inclusive: r.fraction?.inclusive ?? false };
}

export interface CommitteeBody {
  name: string;
  description: string;
  public: boolean;
  proxy_allowed: boolean;
  quorum: { num: number; den: number; inclusive: boolean };
  default_rule: NonNullable<ReturnType<typeof ruleInput>>;
}

/** Creates a committee, or changes its name and rules of procedure. */
export function CommitteeDialog({ open, committee, onClose, onSubmit }: { open: boolean; committee?: Committee; onClose: () => void; onSubmit: (body: CommitteeBody) => Promise<unknown> }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [quorum, setQuorum] = useState<QuorumKey>('half');
  const [rule, setRule] = useState<RuleDraft>(DEFAULT_RULE);
  const [proxy, setProxy] = useState(false);
  const [isPublic, setPublic] = useState(false);
  const fields = useFieldErrors(FIELDS, (f) => (f === 'name' ? 'committee-name' : 'committee-rule-num'));

  const reset = () => {
    setName(committee?.name ?? '');
    setDescription(committee?.description ?? '');
    setQuorum(quorumKey(committee));
    setRule(ruleDraft(committee));
    setProxy(committee?.proxy_allowed ?? false);
    setPublic(committee?.public ?? false);
  };

  return (
    <FormDialog
      open={open}
      title={committee ? t('committees.edit.title', { name: committee.name }) : t('committees.create.title')}
      onClose={onClose}
      onOpen={reset}
      fields={fields}
      validate={() => ({ name: requiredError(name), default_rule: ruleInput(rule) ? undefined : 'committees.rule.fractionInvalid' })}
      onSubmit={() => onSubmit({ name: name.trim(), description: description.trim(), public: isPublic, proxy_allowed: proxy, quorum: { ...QUORUMS[quorum] }, default_rule: ruleInput(rule)! })}
      submitLabel={committee ? t('common.save') : t('committees.create.submit')}
    >
      <TextField id="committee-name" label={t('committees.fields.name')} value={name} maxLength={200} onChange={(e) => setName(e.target.value)} error={fields.errors.name} required autoFocus />
      <TextAreaField id="committee-description" label={t('committees.fields.description')} optional rows={3} maxLength={10000} value={description} onChange={(e) => setDescription(e.target.value)} />
      <SelectField id="committee-quorum" label={t('committees.fields.quorum')} hint={t('committees.fields.quorumHint')} value={quorum} onChange={(e) => setQuorum(e.target.value as QuorumKey)}>
        {(Object.keys(QUORUMS) as QuorumKey[]).map((k) => (
          <option key={k} value={k}>
            {t(`committees.quorum.${k}`)}
          </option>
        ))}
      </SelectField>
      <RuleFields idPrefix="committee-rule" value={rule} onChange={setRule} error={fields.errors.default_rule} />
      <Checkbox id="committee-proxy" label={t('committees.fields.proxy')} hint={t('committees.fields.proxyHint')} checked={proxy} onChange={(e) => setProxy(e.target.checked)} />
      <Checkbox id="committee-public" label={t('committees.fields.public')} hint={t('committees.fields.publicHint')} checked={isPublic} onChange={(e) => setPublic(e.target.checked)} />
    </FormDialog>
  );
}
