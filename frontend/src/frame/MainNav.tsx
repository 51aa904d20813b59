import { useTranslation } from 'react-i18next';
import { NavLink, useLocation } from 'react-router';
import type { Role, TenantRef } from '../api/client';
import { modulesFor } from '../modules';

export function MainNav({ tenant }: { tenant?: TenantRef }) {
  const { t } = useTranslation();
  const usable = tenant?.usable ? tenant : undefined;
  const items = modulesFor(usable?.role as Role | undefined, usable?.slug);
  const { pathname } = useLocation();
  const also = (segments: readonly string[] | undefined) => Boolean(usable && segments?.some((seg) => pathname.startsWith(`/t/${usable.slug}/${seg}/`)));
  return (
    <nav className="app-nav" aria-label={t('nav.label')}>
      <div className="kern-container">
        <ul className="app-nav__list">
          {items.map((m) => (
            <li key={m.id}>
              <NavLink to={m.href(usable?.slug)} end={m.id === 'start'} className={({ isActive }) => `app-nav__link${isActive || also(m.alsoActive) ? ' app-nav__link--active' : ''}`}>
                <span className={`kern-icon kern-icon--${m.icon} kern-icon--small`} aria-hidden="true" />
                {t(m.label)}
              </NavLink>
            </li>
          ))}
        </ul>
      </div>
    </nav>
  );
}
