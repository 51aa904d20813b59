// Client-side checks that mirror the server's rules, so that people learn about a
// mistake before they submit. The server stays the authority.

export const MIN_PASSWORD_LENGTH = 12;

/** i18n keys of the problems with a new password and its repetition (empty: fine). */
export function newPasswordErrors(password: string, repeat: string): { password?: string; repeat?: string } {
  const out: { password?: string; repeat?: string } = {};
  if (password.length === 0) out.password = 'validation.passwordRequired';
  else if ([...password].length < MIN_PASSWORD_LENGTH) out.password = 'validation.passwordTooShort';
  if (repeat !== password) out.repeat = 'validation.passwordMismatch';
  return out;
}

/** A TOTP code: six digits, spaces allowed while typing. */
export function normaliseCode(input: string): string {
  return input.replace(/[\s-]/g, '');
}

export function codeError(input: string): string | undefined {
  const c = normaliseCode(input);
  if (c.length === 0) return 'validation.codeRequired';
  if (!/^\d{6}$/.test(c)) return 'validation.codeFormat';
  return undefined;
}

export function recoveryCodeError(input: string): string | undefined {
  return input.trim().length === 0 ? 'validation.recoveryRequired' : undefined;
}

export function emailError(input: string): string | undefined {
  const v = input.trim();
  if (v.length === 0) return 'validation.emailRequired';
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return 'validation.emailFormat';
  return undefined;
}

export function requiredError(input: string, key = 'validation.required'): string | undefined {
  return input.trim().length === 0 ? key : undefined;
}
