import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { setApiLanguage, type Schemas } from '../api/client';
import de from './de.json';
import en from './en.json';

/** The languages of the interface; each is one the server keeps as a member's locale. */
export const LANGUAGES = ['de', 'en'] as const satisfies readonly NonNullable<Schemas['ProfileInBody']['locale']>[];
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'kollab.language';

function storedLanguage(): Language {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    if (v === 'de' || v === 'en') return v;
  } catch {
    /* storage blocked */
  }
  return 'de'; // German is the platform's default, whatever the browser says
}

function applyLanguage(lng: string): void {
  setApiLanguage(lng);
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
}

i18n.on('languageChanged', (lng) => {
  applyLanguage(lng);
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, lng);
  } catch {
    /* storage blocked */
  }
});

export const i18nReady = i18n.use(initReactI18next).init({
  resources: { de: { translation: de }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: 'de',
  supportedLngs: LANGUAGES,
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
  showSupportNotice: false,
});
applyLanguage(i18n.language ?? 'de');

export default i18n;
