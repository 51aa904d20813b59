import { useTranslation } from 'react-i18next';
import { useMe } from '../../auth/session';
import { PageHeading } from '../../components/PageHeading';
import { PreferencesSection } from '../../notifications/PreferencesSection';
import { CalendarSection } from './CalendarSection';
import { PasswordSection } from './PasswordSection';
import { SessionsSection } from './SessionsSection';
import { TokensSection } from './TokensSection';
import { TwoFactorSection } from './TwoFactorSection';

export function ProfilePage() {
  const { t } = useTranslation();
  const me = useMe();
  return (
    <>
      <PageHeading title={t('profile.title')}>{t('profile.title')}</PageHeading>
      <section className="app-section" aria-labelledby="profile-account">
        <h2 id="profile-account" className="kern-heading-medium">
          {t('profile.account')}
        </h2>
        <dl className="kern-description-list">
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('profile.name')}</dt>
            <dd className="kern-description-list-item__value">{me.display_name || '—'}</dd>
          </div>
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('profile.email')}</dt>
            <dd className="kern-description-list-item__value">{me.email}</dd>
          </div>
        </dl>
      </section>
      <PasswordSection />
      <TwoFactorSection />
      <SessionsSection />
      <TokensSection />
      <CalendarSection />
      <PreferencesSection />
    </>
  );
}
