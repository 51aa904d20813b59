import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';

export function Brand({ to = '/' }: { to?: string }) {
  const { t } = useTranslation();
  return (
    <Link to={to} className="app-brand" aria-label={t('frame.homeLink')}>
      <img src="/favicon.svg" alt="" width="32" height="32" className="app-brand__logo" />
      <span className="app-brand__name">{t('app.name')}</span>
    </Link>
  );
}
