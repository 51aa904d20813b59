import type { ReactNode } from 'react';
import { Brand } from './Brand';
import { Footer } from './Footer';
import { LanguageSwitch } from './LanguageSwitch';
import { SkipLink } from './SkipLink';

/** The frame of pages without a signed-in session: sign-in, invitation, forced enrolment. */
export function PublicFrame({ children, actions }: { children: ReactNode; actions?: ReactNode }) {
  return (
    <div className="app-shell">
      <SkipLink />
      <header className="app-header">
        <div className="kern-container app-header__bar">
          <Brand />
          <div className="app-header__tools">
            <LanguageSwitch />
            {actions}
          </div>
        </div>
      </header>
      <main id="main" className="app-main app-main--narrow kern-container" tabIndex={-1}>
        {children}
      </main>
      <Footer />
    </div>
  );
}
