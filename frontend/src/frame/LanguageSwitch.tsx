import { useTranslation } from 'react-i18next';

/** One click to the other language; the button is labelled in the language it switches to. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const other = i18n.language === 'en' ? 'de' : 'en';
  return (
    <button
      type="button"
      className="kern-btn kern-btn--tertiary app-lang"
      lang={other}
      onClick={() => void i18n.changeLanguage(other)}
      aria-label={t('frame.switchLanguageTo', { lng: other === 'en' ? 'English' : 'Deutsch' })}
    >
      <span className="kern-icon kern-icon--language" aria-hidden="true" />
      <span className="kern-label">{other === 'en' ? 'English' : 'Deutsch'}</span>
    </button>
  );
}
