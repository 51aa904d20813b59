import { useTranslation } from 'react-i18next';
import { Checkbox, SelectField, TextField } from '../components/Field';
import { BASES, MAJORITIES, type Base, type Majority } from './model';

export interface RuleDraft {
  majority: Majority;
  base: Base;
  num: string;
  den: string;
  inclusive: boolean;
}

export const DEFAULT_RULE: RuleDraft = { majority: 'simple', base: 'cast', num: '1', den: '2', inclusive: false };

/** The rule as the API takes it; null when a custom fraction is not a share in (0, 1]. */
export function ruleInput(d: RuleDraft): { majority: Majority; base: Base; fraction?: { num: number; den: number; inclusive: boolean } } | null {
  if (d.majority !== 'custom') return { majority: d.majority, base: d.base };
  const num = Number(d.num);
  const den = Number(d.den);
  if (!Number.isInteger(num) || !Number.isInteger(den) || num < 1 || den < 1 || num > den || den > 1000) return null;
  return { majority: 'custom', base: d.base, fraction: { num, den, inclusive: d.inclusive } };
}

/** Majority rule and base of a poll or a committee's default, with a custom fraction. */
export function RuleFields({ idPrefix, value, onChange, error }: { idPrefix: string; value: RuleDraft; onChange: (v: RuleDraft) => void; error?: string }) {
  const { t } = useTranslation();
  const set = (patch: Partial<RuleDraft>) => onChange({ ...value, ...patch });
  return (
    <fieldset className="kern-fieldset app-fieldset">
      <legend className="kern-label">{t('committees.rule.legend')}</legend>
      <div className="kern-fieldset__body app-form">
        <SelectField id={`${idPrefix}-majority`} label={t('committees.rule.majorityLabel')} value={value.majority} onChange={(e) => set({ majority: e.target.value as Majority })}>
          {MAJORITIES.map((m) => (
            <option key={m} value={m}>
              {t(`committees.rule.majority.${m}`)}
            </option>
          ))}
        </SelectField>
        {value.majority === 'custom' && (
          <div className="app-form--inline app-fraction">
            <TextField id={`${idPrefix}-num`} label={t('committees.rule.num')} inputMode="numeric" value={value.num} onChange={(e) => set({ num: e.target.value })} error={error} />
            <TextField id={`${idPrefix}-den`} label={t('committees.rule.den')} inputMode="numeric" value={value.den} onChange={(e) => set({ den: e.target.value })} />
            <Checkbox id={`${idPrefix}-inclusive`} label={t('committees.rule.inclusive')} checked={value.inclusive} onChange={(e) => set({ inclusive: e.target.checked })} />
          </div>
        )}
        <SelectField id={`${idPrefix}-base`} label={t('committees.rule.baseLabel')} hint={t('committees.rule.baseHint')} value={value.base} onChange={(e) => set({ base: e.target.value as Base })}>
          {BASES.map((b) => (
            <option key={b} value={b}>
              {t(`committees.rule.base.${b}`)}
            </option>
          ))}
        </SelectField>
      </div>
    </fieldset>
  );
}
