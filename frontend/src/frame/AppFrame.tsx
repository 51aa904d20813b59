import { Outlet, useMatch } from 'react-router';
import { Bell } from '../notifications/Bell';
import { preferredTenant, tenantsOf, useMe } from '../auth/session';
import { Brand } from './Brand';
import { Footer } from './Footer';
import { LanguageSwitch } from './LanguageSwitch';
import { MainNav } from './MainNav';
import { SkipLink } from './SkipLink';
import { TenantSwitcher } from './TenantSwitcher';
import { UserMenu } from './UserMenu';

/** The frame of every signed-in page: header (tenant, language, user), navigation, content. */
export function AppFrame() {
  const me = useMe();
  const match = useMatch('/t/:slug/*');
  const slug = match?.params.slug;
  const current = slug ? tenantsOf(me).find((t) => t.slug === slug) : preferredTenant(me);
  return (
    <div className="app-shell">
      <SkipLink />
      <header className="app-header">
        <div className="kern-container app-header__bar">
          <Brand to={current?.usable ? `/t/${current.slug}` : '/'} />
          <TenantSwitcher current={current} />
          <div className="app-header__tools">
            {current?.usable && <Bell slug={current.slug} />}
            <LanguageSwitch />
            <UserMenu />
          </div>
        </div>
      </header>
      <MainNav tenant={current} />
      <main id="main" className="app-main kern-container" tabIndex={-1}>
        <Outlet />
      </main>
      <Footer />
    </div>
  );
}
