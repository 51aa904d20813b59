import { useTranslation } from 'react-i18next';

export function Footer() {
  const { t } = useTranslation();
  return (
    <footer className="app-footer">
      <div className="kern-container">
        <p className="kern-body kern-body--small">{t('frame.footer')}</p>
      </div>
    </footer>
  );
}
