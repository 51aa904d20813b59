import { beforeEach, describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { inviteTexts } from './MeetingPage';

beforeEach(async () => {
  await i18n.changeLanguage('de');
});

describe('the meeting invitation texts', () => {
  it('promise no e-mail when no mail server is set up', () => {
    const { text, done } = inviteTexts(false);
    expect(i18n.t(text)).toContain('E-Mail-Versand ist nicht eingerichtet');
    expect(i18n.t(text)).not.toContain('erhalten eine E-Mail mit');
    expect(i18n.t(done)).toContain('E-Mail-Versand ist nicht eingerichtet');
    expect(i18n.t(done)).not.toMatch(/versendet|verschickt/);
  });

  it('promise the e-mail when mails leave', () => {
    const { text, done } = inviteTexts(true);
    expect(i18n.t(text)).toContain('Alle Mitglieder erhalten eine E-Mail mit Kalendereintrag');
    expect(i18n.t(done)).toBe('Die Einladung wurde versendet.');
  });

  it('have English texts too', async () => {
    await i18n.changeLanguage('en');
    expect(i18n.t(inviteTexts(false).text)).toContain('E-mail sending is not set up');
    expect(i18n.t(inviteTexts(false).done)).toContain('E-mail sending is not set up');
  });
});
