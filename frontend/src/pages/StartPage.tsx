import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Role } from '../api/client';
import { useTenant } from '../auth/gates';
import { useMe } from '../auth/session';
import { Alert } from '../components/Alert';
import { PageHeading } from '../components/PageHeading';
import { modulesFor } from '../modules';

/** The start page of a tenant: one overview card per module the person may use. */
export function StartPage() {
  const { t } = useTranslation();
  const me = useMe();
  const tenant = useTenant();
  const modules = modulesFor(tenant.role as Role, tenant.slug).filter((m) => m.onStart);
  const name = me.display_name || me.email;
  return (
    <>
      <PageHeading title={t('start.title', { tenant: tenant.name })} sub={t('start.lead', { tenant: tenant.name, role: t(`roles.${tenant.role}`) })}>
        {t('start.welcome', { name })}
      </PageHeading>
      {me.totp_enabled && me.recovery_codes_left < 3 && (
        <Alert variant="warning" title={t('start.fewCodesTitle')}>
          <p className="kern-body">
            {t('start.fewCodesText', { count: me.recovery_codes_left })}{' '}
            <Link className="kern-link" to="/profile#two-factor">
              {t('start.fewCodesLink')}
            </Link>
          </p>
        </Alert>
      )}
      <section className="app-section" aria-labelledby="start-modules">
        <h2 id="start-modules" className="kern-heading-medium">
          {t('start.modulesTitle')}
        </h2>
        <ul className="app-cards">
          {modules.map((m) => (
            <li key={m.id} className="kern-card kern-card--interactive app-card">
              <div className="kern-card__container">
                <div className="kern-card__header">
                  <h3 className="kern-title">
                    <Link className="kern-link kern-link--stretched" to={m.href(tenant.slug)}>
                      <span className={`kern-icon kern-icon--${m.icon}`} aria-hidden="true" /> {t(m.label)}
                    </Link>
                  </h3>
                </div>
                <div className="kern-card__body">
                  <p className="kern-body">{t(m.description)}</p>
                </div>
              </div>
            </li>
          ))}
        </ul>
        <p className="kern-body kern-body--muted">{t('start.moreSoon')}</p>
      </section>
    </>
  );
}
