import { useTranslation } from 'react-i18next';
import { useSession } from '../auth/session';
import { chooseLanguage } from '../i18n/sync';

/**
 * One click to the other language; the button is labelled in the language it switches to.
 * Signed in, the choice is saved for the account (it follows the person to other browsers
 * and decides the language of their e-mails); signed out, at the next sign-in.
 */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const other = i18n.language === 'en' ? 'de' : 'en';
  const choose = async () => {
    const me = await chooseLanguage(other, session.state.status === 'signed-in');
    if (me) session.replaceMe(me);
  };
  return (
    <button
      type="button"
      className="kern-btn kern-btn--tertiary app-lang"
      lang={other}
      onClick={() => void choose()}
      aria-label={t('frame.switchLanguageTo', { lng: other === 'en' ? 'English' : 'Deutsch' })}
    >
      <span className="kern-icon kern-icon--language" aria-hidden="true" />
      <span className="kern-label">{other === 'en' ? 'English' : 'Deutsch'}</span>
    </button>
  );
}
