import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useSession, useMe } from '../auth/session';
import { Disclosure } from './Disclosure';

export function UserMenu() {
  const { t } = useTranslation();
  const me = useMe();
  const { logout } = useSession();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const signOut = async () => {
    if (busy) return;
    setBusy(true);
    try {
      await logout();
    } finally {
      setBusy(false);
      navigate('/login', { replace: true });
    }
  };
  return (
    <Disclosure
      className="app-user-menu"
      label={
        <>
          <span className="kern-icon kern-icon--account-circle" aria-hidden="true" />
          <span className="kern-label app-user-menu__name">
            <span className="app-sr-only">{t('frame.userMenu')}: </span>
            {me.display_name || me.email}
          </span>
        </>
      }
    >
      {(close) => (
        <ul className="app-menu-list">
          <li className="app-menu-list__meta kern-body kern-body--small">{me.email}</li>
          <li>
            <Link className="kern-link" to="/profile" onClick={close}>
              {t('nav.profile')}
            </Link>
          </li>
          <li>
            <button type="button" className="kern-btn kern-btn--tertiary app-menu-list__action" onClick={signOut} aria-busy={busy || undefined}>
              <span className="kern-icon kern-icon--logout" aria-hidden="true" />
              <span className="kern-label">{t('frame.signOut')}</span>
            </button>
          </li>
        </ul>
      )}
    </Disclosure>
  );
}
