// The member's language lives on the server (users.locale, PATCH /api/v1/me), so that
// it follows them to another browser and Kollab's e-mails are written in it. The browser
// keeps a copy (localStorage) for the pages before sign-in. A choice made while signed
// out is remembered as "unsaved" and saved at the next sign-in: the latest choice wins.
import { api, call, type Me } from '../api/client';
import i18n, { LANGUAGES, type Language } from './index';

const UNSAVED_KEY = 'kollab.language.unsaved';

function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}

export function unsavedChoice(): boolean {
  try {
    return globalThis.localStorage?.getItem(UNSAVED_KEY) === '1';
  } catch {
    return false;
  }
}

function markUnsaved(on: boolean): void {
  try {
    if (on) globalThis.localStorage?.setItem(UNSAVED_KEY, '1');
    else globalThis.localStorage?.removeItem(UNSAVED_KEY);
  } catch {
    /* storage blocked */
  }
}

/**
 * What to do when a session starts (or /me is read again): `save` the browser's language
 * when the person chose it while signed out, else `apply` the account's language.
 */
export function reconcile(meLocale: string | undefined, current: string, unsaved: boolean): { apply?: Language; save?: Language } {
  const cur = isLanguage(current) ? current : 'de';
  if (unsaved) return meLocale === cur ? {} : { save: cur };
  if (isLanguage(meLocale) && meLocale !== cur) return { apply: meLocale };
  return {};
}

// Saves run one after the other, so that two quick switches end with the last choice.
let saving: Promise<unknown> = Promise.resolve();

function save(lng: Language): Promise<Me | null> {
  const next = saving.then(async () => {
    try {
      const me = await call(api.PATCH('/api/v1/me', { body: { locale: lng } }));
      markUnsaved(false);
      return me;
    } catch {
      markUnsaved(true); // tried again at the next sign-in
      return null;
    }
  });
  saving = next;
  return next;
}

/** Brings browser and account to one language when a session is (again) signed in. */
export async function syncLanguage(me: Me): Promise<Me | null> {
  const step = reconcile(me.locale, i18n.language, unsavedChoice());
  if (step.save) return save(step.save);
  markUnsaved(false);
  if (step.apply) await i18n.changeLanguage(step.apply);
  return null;
}

/** The person chose a language (the switch): shown at once, kept for the account when signed in. */
export async function chooseLanguage(lng: Language, signedIn: boolean): Promise<Me | null> {
  await i18n.changeLanguage(lng);
  if (!signedIn) {
    markUnsaved(true);
    return null;
  }
  return save(lng);
}
