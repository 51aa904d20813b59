import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import type { Role, TenantRef } from '../api/client';
import { modulesFor } from '../modules';

export function MainNav({ tenant }: { tenant?: TenantRef }) {
  const { t } = useTranslation();
  const usable = tenant?.usable ? tenant : undefined;
  const items = modulesFor(usable?.role as Role | undefined, usable?.slug);
  return (
    <nav className="app-nav" aria-label={t('nav.label')}>
      <div className="kern-container">
        <ul className="app-nav__list">
          {items.map((m) => (
            <li key={m.id}>
              <NavLink to={m.href(usable?.slug)} end={m.id === 'start'} className={({ isActive }) => `app-nav__link${isActive ? ' app-nav__link--active' : ''}`}>
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
