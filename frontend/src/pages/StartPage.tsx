import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call, type Role } from '../api/client';
import { useTenant } from '../auth/gates';
import { useMe } from '../auth/session';
import { Alert } from '../components/Alert';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { modulesFor } from '../modules';
import { Cockpit, type CockpitData } from './Cockpit';

/**
 * The start page of a tenant: the person's cockpit (next meetings, open polls, workspaces,
 * recent documents, unread notifications — the parts their role has), then one card per
 * module. Nothing below the heading appears before the cockpit has loaded (or failed), and
 * the part below the heading is at least a screen high whatever it holds, so the footer
 * stays below the fold and nothing jumps when the cockpit arrives.
 */
export function StartPage() {
  const { t } = useTranslation();
  const me = useMe();
  const tenant = useTenant();
  const [cockpit, setCockpit] = useState<{ slug: string; data: CockpitData | null } | undefined>();
  useEffect(() => {
    let live = true;
    const slug = tenant.slug;
    call(api.GET('/api/v1/t/{tenant}/cockpit', { params: { path: { tenant: slug } } })).then(
      (data) => live && setCockpit({ slug, data }),
      () => live && setCockpit({ slug, data: null }),
    );
    return () => {
      live = false;
    };
  }, [tenant.slug]);
  const ready = cockpit?.slug === tenant.slug;
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
      <div className="app-start">
        {!ready && <Loading />}
        {ready && cockpit.data && <Cockpit slug={tenant.slug} role={tenant.role as Role} data={cockpit.data} />}
        {ready && !cockpit.data && (
          <Alert variant="warning" title={t('cockpit.failedTitle')}>
            <p className="kern-body">{t('cockpit.failedText')}</p>
          </Alert>
        )}
        {ready && (
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
            {/* Guests' consultations are on the page already; nothing more is coming for them. */}
            {tenant.role !== 'partner' && <p className="kern-body kern-body--muted">{t('start.moreSoon')}</p>}
          </section>
        )}
      </div>
    </>
  );
}
