// Formatting helpers shared by the pages (pure functions, unit-tested).

export function formatDateTime(iso: string | undefined | null, lng: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(lng === 'en' ? 'en-GB' : 'de-DE', { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function formatDate(iso: string | undefined | null, lng: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(lng === 'en' ? 'en-GB' : 'de-DE', { dateStyle: 'medium' }).format(d);
}

/** Groups a base32 key in blocks of four for reading aloud and typing. */
export function groupKey(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})/g, '$1 ').trim();
}

/** A short "browser on system" description of a User-Agent header. */
export function describeUserAgent(ua: string): { browser: string; system: string } {
  const browser =
    /Edg\//.test(ua) ? 'Edge'
    : /OPR\//.test(ua) ? 'Opera'
    : /Firefox\//.test(ua) ? 'Firefox'
    : /(Chromium|HeadlessChrome)\//.test(ua) ? 'Chromium'
    : /Chrome\//.test(ua) ? 'Chrome'
    : /Safari\//.test(ua) ? 'Safari'
    : /curl\//.test(ua) ? 'curl'
    : '';
  const system =
    /Windows/.test(ua) ? 'Windows'
    : /Android/.test(ua) ? 'Android'
    : /(iPhone|iPad|iOS)/.test(ua) ? 'iOS'
    : /Mac OS X|Macintosh/.test(ua) ? 'macOS'
    : /CrOS/.test(ua) ? 'ChromeOS'
    : /Linux/.test(ua) ? 'Linux'
    : '';
  return { browser, system };
}

/** How long a new API token lives: every token expires, after at most a year (the server's limit). */
export type TokenLifetime = '30' | '90' | '365';
export const TOKEN_LIFETIMES: readonly TokenLifetime[] = ['30', '90', '365'];
export const DEFAULT_TOKEN_LIFETIME: TokenLifetime = '90';

/** expires_at for a new API token: the end of the chosen day count. */
export function tokenExpiry(lifetime: TokenLifetime, now: Date = new Date()): string {
  const days = Number(lifetime);
  return new Date(now.getTime() + days * 24 * 60 * 60 * 1000).toISOString();
}

/** From a yyyy-mm-dd date input (local time) to the RFC 3339 instant of that day's start. */
export function startOfLocalDay(date: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The exclusive upper bound for an inclusive "to" date: the start of the next local day. */
export function endOfLocalDay(date: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** A file name for downloads: recovery codes for alice@example.org → kollab-recovery-codes-alice-example-org.txt */
export function safeFileName(prefix: string, who: string): string {
  const slug = who.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `${prefix}${slug ? `-${slug}` : ''}.txt`;
}
