import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, ROLES, type Role, type Schemas } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { Checkbox } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { useAction } from '../lib/useAction';
import type { TenantInfo } from './AdminConsole';

/** Roles whose second factor the server always requires, whatever the policy says: guests (partners). */
export const ALWAYS_TOTP: readonly Role[] = ['partner'];

export function PolicyPage({ tenant, onSaved }: { tenant: TenantInfo; onSaved: (s: Schemas['SettingsView']) => void }) {
  const { t } = useTranslation();
  const [roles, setRoles] = useState<Set<string>>(() => new Set(tenant.settings.require_totp_roles ?? []));
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();

  const toggle = (r: Role, on: boolean) => {
    setSaved(false);
    setRoles((s) => {
      const n = new Set(s);
      if (on) n.add(r);
      else n.delete(r);
      return n;
    });
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const body = { require_totp_roles: ROLES.filter((r) => roles.has(r) || ALWAYS_TOTP.includes(r)) };
    const res = await run(() => call(api.PUT('/api/v1/t/{tenant}/settings', { params: { path: { tenant: tenant.slug } }, body })));
    if (res) {
      onSaved(res);
      setSaved(true);
    }
  };

  return (
    <>
      <PageHeading title={t('admin.policy.title')}>{t('admin.policy.title')}</PageHeading>
      <p className="kern-body">{t('admin.policy.lead')}</p>
      {saved && <Alert variant="success" title={t('admin.policy.saved')} live="status" />}
      <ErrorAlert error={error} />
      <form className="app-form" onSubmit={submit} noValidate>
        <fieldset className="kern-fieldset">
          <legend className="kern-label">{t('admin.policy.legend')}</legend>
          <div className="kern-fieldset__body">
            {ROLES.map((r) =>
              ALWAYS_TOTP.includes(r) ? (
                <Checkbox key={r} id={`policy-${r}`} label={t(`roles.${r}`)} hint={t('admin.policy.partnerAlways')} checked disabled readOnly />
              ) : (
                <Checkbox key={r} id={`policy-${r}`} label={t(`roles.${r}`)} checked={roles.has(r)} onChange={(e) => toggle(r, e.target.checked)} />
              ),
            )}
          </div>
        </fieldset>
        {!roles.has('admin') && (
          <Alert variant="warning" title={t('admin.policy.adminWarningTitle')}>
            <p className="kern-body">{t('admin.policy.adminWarning')}</p>
          </Alert>
        )}
        <div className="app-actions">
          <Button type="submit" busy={busy}>
            {t('common.save')}
          </Button>
        </div>
      </form>
    </>
  );
}
