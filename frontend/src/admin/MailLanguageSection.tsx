import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, type Schemas } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { SelectField } from '../components/Field';
import { useAction } from '../lib/useAction';
import type { TenantInfo } from './AdminConsole';

type Language = NonNullable<Schemas['SettingsView']['language']>;

/**
 * The language of invitation mails to people who have no account yet (the tenant's
 * default language). Whoever has an account gets mail in the language they chose.
 */
export function MailLanguageSection({ tenant, onSaved }: { tenant: TenantInfo; onSaved?: (s: Schemas['SettingsView']) => void }) {
  const { t } = useTranslation();
  const [language, setLanguage] = useState<Language>(tenant.settings?.language === 'en' ? 'en' : 'de');
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    // require_totp_roles is required by the PUT; sent as it is, it stays.
    const body = { require_totp_roles: tenant.settings?.require_totp_roles ?? [], language };
    const res = await run(() => call(api.PUT('/api/v1/t/{tenant}/settings', { params: { path: { tenant: tenant.slug } }, body })));
    if (res) {
      onSaved?.(res);
      setSaved(true);
    }
  };

  return (
    <section className="app-section" aria-labelledby="mail-language-title">
      <h2 id="mail-language-title" className="kern-heading-medium">
        {t('admin.mailLanguage.title')}
      </h2>
      {saved && <Alert variant="success" title={t('admin.mailLanguage.saved')} live="status" />}
      <ErrorAlert error={error} />
      <form className="app-form" onSubmit={submit} noValidate>
        <SelectField
          id="mail-language"
          label={t('admin.mailLanguage.label')}
          hint={t('admin.mailLanguage.hint')}
          value={language}
          onChange={(e) => {
            setSaved(false);
            setLanguage(e.target.value as Language);
          }}
        >
          <option value="de" lang="de">
            Deutsch
          </option>
          <option value="en" lang="en">
            English
          </option>
        </SelectField>
        <div className="app-actions">
          <Button type="submit" variant="secondary" busy={busy}>
            {t('common.save')}
          </Button>
        </div>
      </form>
    </section>
  );
}
