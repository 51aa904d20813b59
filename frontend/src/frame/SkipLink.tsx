import { useTranslation } from 'react-i18next';

export function SkipLink() {
  const { t } = useTranslation();
  return (
    <a className="app-skip-link" href="#main">
      {t('frame.skipToContent')}
    </a>
  );
}
