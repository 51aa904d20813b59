import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { TenantRef } from '../api/client';
import { tenantBlock, tenantsOf, useMe } from '../auth/session';
import { Badge } from '../components/Badge';
import { Disclosure } from './Disclosure';

/** Shows the current tenant; with several memberships it lists them to switch. */
export function TenantSwitcher({ current }: { current?: TenantRef }) {
  const { t } = useTranslation();
  const me = useMe();
  const tenants = tenantsOf(me);
  if (!current) return null;
  if (tenants.length < 2) {
    return (
      <p className="app-tenant">
        <span className="app-sr-only">{t('frame.tenant')}: </span>
        {current.name}
      </p>
    );
  }
  return (
    <Disclosure
      className="app-tenant-switcher"
      align="start"
      label={
        <span className="kern-label">
          <span className="app-sr-only">{t('frame.tenantSwitch')}, {t('frame.current')}: </span>
          {current.name}
        </span>
      }
    >
      {(close) => (
        <ul className="app-menu-list" aria-label={t('frame.tenants')}>
          {tenants.map((tn) => {
            const block = tenantBlock(me, tn);
            return (
              <li key={tn.slug}>
                <Link className="kern-link" to={`/t/${tn.slug}`} onClick={close} aria-current={tn.slug === current.slug ? 'true' : undefined}>
                  {tn.name}
                </Link>{' '}
                <span className="kern-body kern-body--small">{t(`roles.${tn.role}`)}</span>
                {block === 'deactivated' && <Badge variant="warning">{t('frame.deactivated')}</Badge>}
                {block === 'enrolment' && <Badge variant="info">{t('frame.needsTwoFactor')}</Badge>}
              </li>
            );
          })}
        </ul>
      )}
    </Disclosure>
  );
}
