import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, type Schemas } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { SelectField } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { useAction } from '../lib/useAction';
import type { TenantInfo } from './AdminConsole';

/** A federal state's ISO 3166-2:DE code without "DE-"; '' is none (nationwide holidays only). */
export type FederalState = NonNullable<Schemas['SettingsView']['federal_state']>;

/** The 16 federal states, as the server knows them (internal/workdays). */
export const FEDERAL_STATES: readonly Exclude<FederalState, ''>[] = ['BW', 'BY', 'BE', 'BB', 'HB', 'HH', 'HE', 'MV', 'NI', 'NW', 'RP', 'SL', 'SN', 'ST', 'SH', 'TH'];

/**
 * The tenant's federal state: its public holidays are the ones deadlines in working
 * days skip ("10 Arbeitstage nach Eingang"). None means the nationwide holidays only.
 */
export function WorkdaysPage({ tenant, onSaved }: { tenant: TenantInfo; onSaved: (s: Schemas['SettingsView']) => void }) {
  const { t, i18n } = useTranslation();
  const [state, setState] = useState<FederalState>(tenant.settings.federal_state ?? '');
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();

  // Sorted by the name shown, in the language shown (Bayern/Bavaria move).
  const options = useMemo(() => {
    const collator = new Intl.Collator(i18n.language);
    return FEDERAL_STATES.map((code) => ({ code, name: t(`admin.workdays.states.${code}`) })).sort((a, b) => collator.compare(a.name, b.name));
  }, [t, i18n.language]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    // require_totp_roles is required by the PUT; sent as it is, it stays.
    const body = { require_totp_roles: tenant.settings.require_totp_roles ?? [], federal_state: state };
    const res = await run(() => call(api.PUT('/api/v1/t/{tenant}/settings', { params: { path: { tenant: tenant.slug } }, body })));
    if (res) {
      onSaved(res);
      setSaved(true);
    }
  };

  return (
    <>
      <PageHeading title={t('admin.workdays.title')}>{t('admin.workdays.title')}</PageHeading>
      <p className="kern-body">{t('admin.workdays.lead')}</p>
      {saved && <Alert variant="success" title={t('admin.workdays.saved')} live="status" />}
      <ErrorAlert error={error} />
      <form className="app-form" onSubmit={submit} noValidate>
        <SelectField
          id="federal-state"
          label={t('admin.workdays.label')}
          hint={t('admin.workdays.hint')}
          value={state}
          onChange={(e) => {
            setSaved(false);
            setState(e.target.value as FederalState);
          }}
        >
          <option value="">{t('admin.workdays.none')}</option>
          {options.map((o) => (
            <option key={o.code} value={o.code}>
              {o.name}
            </option>
          ))}
        </SelectField>
        <div className="app-actions">
          <Button type="submit" busy={busy}>
            {t('common.save')}
          </Button>
        </div>
      </form>
    </>
  );
}
