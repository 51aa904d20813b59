import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, type Schemas } from '../api/client';
import { preferredTenant, tenantsOf, useMe } from '../auth/session';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { SelectField } from '../components/Field';
import { Loading } from '../components/Loading';
import { every } from '../lib/every';
import { useAction } from '../lib/useAction';
import './notifications.css';

type Preference = Schemas['NotificationPreferenceView'];
export type Mode = Preference['mode'];
export const MODES = every<Mode>()(['immediate', 'daily', 'never']);

/**
 * How the person is told about each kind of notification in a tenant (a mail at once, a
 * daily digest, or in the app only): one radio group per kind, saved with one button.
 * With several memberships a field chooses the tenant.
 */
export function PreferencesSection() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const tenants = tenantsOf(me).filter((x) => x.usable);
  const [slug, setSlug] = useState(() => {
    const p = preferredTenant(me);
    return p?.usable ? p.slug : (tenants[0]?.slug ?? '');
  });
  const [prefs, setPrefs] = useState<Preference[] | null>(null);
  const [message, setMessage] = useState('');
  const load = useAction();
  const save = useAction();

  useEffect(() => {
    if (!slug) return;
    setPrefs(null);
    setMessage('');
    void load.run(async () => {
      const res = await call(api.GET('/api/v1/t/{tenant}/notification-preferences', { params: { path: { tenant: slug } } }));
      setPrefs(res.preferences ?? []);
    });
  }, [slug]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!slug) return null;
  const en = i18n.language === 'en';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!prefs) return;
    setMessage('');
    const res = await save.run(() =>
      call(
        api.PUT('/api/v1/t/{tenant}/notification-preferences', {
          params: { path: { tenant: slug } },
          body: { preferences: prefs.map((p) => ({ kind: p.kind, mode: p.mode })) },
        }),
      ),
    );
    if (res) {
      setPrefs(res.preferences ?? []);
      setMessage(t('notifications.prefs.saved'));
    }
  };

  const choose = (kind: string, mode: Mode) => {
    setMessage('');
    setPrefs((old) => old?.map((p) => (p.kind === kind ? { ...p, mode } : p)) ?? null);
  };

  return (
    <section className="app-section" aria-labelledby="profile-notifications">
      <h2 id="profile-notifications" tabIndex={-1} className="kern-heading-medium">
        {t('notifications.prefs.title')}
      </h2>
      <p className="kern-body">{t('notifications.prefs.lead')}</p>
      {tenants.length > 1 && (
        <SelectField id="notification-prefs-tenant" label={t('notifications.prefs.tenant')} value={slug} onChange={(e) => setSlug(e.target.value)}>
          {tenants.map((x) => (
            <option key={x.slug} value={x.slug}>
              {x.name}
            </option>
          ))}
        </SelectField>
      )}
      <ErrorAlert error={load.error} focus={false} />
      {!prefs && !load.error && <Loading inline />}
      {prefs && (
        <form onSubmit={(e) => void submit(e)} noValidate className="app-form">
          {prefs.map((p) => (
            <fieldset key={p.kind} className="kern-fieldset app-fieldset app-pref" data-kind={p.kind}>
              <legend className="kern-label">{en ? p.label.en : p.label.de}</legend>
              <div className="kern-fieldset__body app-pref__choices">
                {MODES.map((m) => {
                  const id = `pref-${p.kind.replace(/[^A-Za-z0-9_-]/g, '-')}-${m}`;
                  return (
                    <div className="kern-form-check" key={m}>
                      <input
                        className="kern-form-check__radio"
                        type="radio"
                        id={id}
                        name={`pref-${p.kind}`}
                        value={m}
                        checked={p.mode === m}
                        onChange={() => choose(p.kind, m)}
                      />
                      <label className="kern-label" htmlFor={id}>
                        {t(`notifications.prefs.mode.${m}`)}
                        {p.default === m && <span className="app-pref__default"> {t('notifications.prefs.default')}</span>}
                      </label>
                    </div>
                  );
                })}
              </div>
            </fieldset>
          ))}
          {message && <Alert variant="success" title={message} live="status" />}
          <ErrorAlert error={save.error} />
          <div className="app-actions">
            <Button type="submit" icon="check" busy={save.busy}>
              {t('notifications.prefs.save')}
            </Button>
          </div>
        </form>
      )}
    </section>
  );
}
