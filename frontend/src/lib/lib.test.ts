import { describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { ApiError } from '../api/problem';
import { errorField, errorText } from './errors';
import { DEFAULT_TOKEN_LIFETIME, TOKEN_LIFETIMES, describeUserAgent, endOfLocalDay, groupKey, safeFileName, startOfLocalDay, tokenExpiry } from './format';
import { codeError, emailError, newPasswordErrors, normaliseCode, recoveryCodeError } from './validation';

describe('validation', () => {
  it('checks a new password against the server rules', () => {
    expect(newPasswordErrors('', '')).toEqual({ password: 'validation.passwordRequired' });
    expect(newPasswordErrors('kurz', 'kurz')).toEqual({ password: 'validation.passwordTooShort' });
    expect(newPasswordErrors('lang-genug-123', 'lang-genug-124')).toEqual({ repeat: 'validation.passwordMismatch' });
    expect(newPasswordErrors('lang-genug-123', 'lang-genug-123')).toEqual({});
    // characters, not UTF-16 units
    expect(newPasswordErrors('äöüßäöüßäöüß', 'äöüßäöüßäöüß')).toEqual({});
  });

  it('checks TOTP and recovery codes', () => {
    expect(normaliseCode(' 123 456 ')).toBe('123456');
    expect(codeError('123 456')).toBeUndefined();
    expect(codeError('')).toBe('validation.codeRequired');
    expect(codeError('12345a')).toBe('validation.codeFormat');
    expect(codeError('1234567')).toBe('validation.codeFormat');
    expect(recoveryCodeError('  ')).toBe('validation.recoveryRequired');
  });

  it('checks e-mail addresses', () => {
    expect(emailError('')).toBe('validation.emailRequired');
    expect(emailError('jemand')).toBe('validation.emailFormat');
    expect(emailError(' jemand@amt.de ')).toBeUndefined();
  });
});

describe('format', () => {
  it('groups a base32 key in fours', () => {
    expect(groupKey('ABCDEFGHIJKLMNOPQR')).toBe('ABCD EFGH IJKL MNOP QR');
  });

  it('names browser and system of a user agent', () => {
    expect(describeUserAgent('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36')).toEqual({ browser: 'Chrome', system: 'Linux' });
    expect(describeUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0')).toEqual({ browser: 'Firefox', system: 'Windows' });
    expect(describeUserAgent('curl/8.5.0')).toEqual({ browser: 'curl', system: '' });
  });

  it('computes token expiry from the chosen lifetime', () => {
    const now = new Date('2026-03-01T12:00:00Z');
    expect(tokenExpiry('30', now)).toBe('2026-03-31T12:00:00.000Z');
    expect(tokenExpiry('365', now)).toBe('2027-03-01T12:00:00.000Z');
  });

  it('turns date inputs into whole local days', () => {
    const from = startOfLocalDay('2026-03-01');
    const to = endOfLocalDay('2026-03-01');
    expect(from && to && new Date(to).getTime() - new Date(from).getTime()).toBe(24 * 3600 * 1000);
    expect(startOfLocalDay('01.03.2026')).toBeUndefined();
  });

  it('makes safe download names', () => {
    expect(safeFileName('kollab-recovery-codes', 'Anna.Müller@Amt.de')).toBe('kollab-recovery-codes-anna-m-ller-amt-de.txt');
  });
});

describe('errorText', () => {
  it('shows the server title and detail and adds the wait', async () => {
    await i18n.changeLanguage('de');
    const locked = new ApiError({ status: 423, code: 'account-locked', title: 'Vorübergehend gesperrt', detail: 'Die Anmeldung ist gesperrt.', retryAfter: 900 });
    expect(errorText(locked, i18n.t)).toEqual({ title: 'Vorübergehend gesperrt', detail: 'Die Anmeldung ist gesperrt. Bitte in 15 Minuten erneut versuchen.' });
    const limited = new ApiError({ status: 429, code: 'rate-limited', retryAfter: 1 });
    expect(errorText(limited, i18n.t)).toEqual({ title: 'Zu viele Versuche', detail: 'Bitte in 1 Sekunde erneut versuchen.' });
  });

  it('has its own words for network failures and unknown errors, in both languages', async () => {
    await i18n.changeLanguage('en');
    expect(errorText(ApiError.network(), i18n.t).title).toBe('No connection');
    expect(errorText(new Error('boom'), i18n.t).title).toBe('Unexpected error');
    await i18n.changeLanguage('de');
    expect(errorText(ApiError.network(), i18n.t).title).toBe('Keine Verbindung');
  });

  it('names the field only for invalid input', () => {
    expect(errorField(new ApiError({ status: 422, code: 'invalid-input', field: 'email' }))).toBe('email');
    expect(errorField(new ApiError({ status: 409, code: 'conflict', field: 'email' }))).toBeUndefined();
  });
});

describe('tokenExpiry', () => {
  it('gives every token an expiry: 90 days by default, a year at most', () => {
    const now = new Date('2026-12-07T10:00:00Z');
    expect(tokenExpiry(DEFAULT_TOKEN_LIFETIME, now)).toBe('2027-03-07T10:00:00.000Z');
    expect(tokenExpiry('30', now)).toBe('2027-01-06T10:00:00.000Z');
    const year = new Date(now);
    year.setUTCFullYear(year.getUTCFullYear() + 1);
    expect(new Date(tokenExpiry('365', now)).getTime()).toBeLessThanOrEqual(year.getTime());
    expect(TOKEN_LIFETIMES).not.toContain('never');
  });
});
