// The typed API client: openapi-fetch over the generated OpenAPI types, with a fetch
// wrapper that speaks the platform's conventions — Accept-Language follows the UI
// language, cookie-authenticated writes carry the CSRF token (fetched once, renewed and
// retried once on `csrf-failed`), and every failure becomes an ApiError that listeners
// (the session) can react to.
import createClient from 'openapi-fetch';
import { every } from '../lib/every';
import { ApiError } from './problem';
import type { components, paths } from './schema';

export type Schemas = components['schemas'];
export type Me = Schemas['Me'];
export type TenantRef = Schemas['TenantRef'];
export type MemberView = Schemas['MemberView'];
export type InvitationView = Schemas['InvitationView'];
export type AuditEntry = Schemas['AuditEntry'];
export type SessionView = Schemas['SessionView'];
export type TokenView = Schemas['TokenView'];
export type TenantTokenView = Schemas['TenantTokenView'];
export type TokenScope = TokenView['scope'];
export const TOKEN_SCOPES = every<TokenScope>()(['read', 'write', 'admin']);
export type Enrolment = Schemas['EnrolmentOutBody'];
export type InvitationInfo = Schemas['InvitationInfoOutBody'];
export type Role = MemberView['role'];
export const ROLES = every<Role>()(['admin', 'staff', 'committee', 'partner']);
export type MemberStatus = MemberView['status'];

export const CSRF_HEADER = 'X-CSRF-Token';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

let language = 'de';
/** Sets the language sent as Accept-Language (problem titles and details follow it). */
export function setApiLanguage(lng: string): void {
  language = lng;
}

let csrfToken: Promise<string> | null = null;

async function fetchCsrfToken(base: typeof fetch): Promise<string> {
  const res = await base(`${origin()}/api/v1/auth/csrf`, {
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'Accept-Language': language },
  });
  if (!res.ok) throw ApiError.from(res, await res.text());
  const body = (await res.json()) as { csrf_token?: string };
  if (!body.csrf_token) throw new ApiError({ status: res.status, code: 'unknown' });
  return body.csrf_token;
}

function csrf(base: typeof fetch, renew = false): Promise<string> {
  if (!csrfToken || renew) {
    csrfToken = fetchCsrfToken(base);
    csrfToken.catch(() => {
      csrfToken = null;
    });
  }
  return csrfToken;
}

/**
 * The CSRF token for a write that does not go through the fetch wrapper (uploads with
 * XMLHttpRequest, which reports upload progress); `renew` fetches a fresh one after a
 * csrf-failed answer.
 */
export function writeToken(renew = false): Promise<string> {
  return csrf((...a) => globalThis.fetch(...a), renew);
}

/** The language sent as Accept-Language. */
export function apiLanguage(): string {
  return language;
}

/** Tells the problem listeners about a failed call made outside `call` (uploads). */
export function reportProblem(err: ApiError, path: string): void {
  for (const fn of listeners) fn(err, path);
}

/** Forgets the CSRF token (tests; after the cookie was cleared). */
export function resetCsrfToken(): void {
  csrfToken = null;
}

type ProblemListener = (err: ApiError, path: string) => void;
const listeners = new Set<ProblemListener>();

/** Registers a listener for every failed call; returns the unsubscribe function. */
export function onProblem(fn: ProblemListener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function origin(): string {
  return globalThis.location?.origin ?? '';
}

async function isForbiddenWith(res: Response, code: string): Promise<boolean> {
  if (res.status !== 403) return false;
  try {
    const body = (await res.clone().json()) as { code?: string };
    return body.code === code;
  } catch {
    return false;
  }
}

/**
 * Answers a `reauth-required` problem: asks the person to confirm (password and second
 * factor, POST /api/v1/me/reauth) and resolves to true once the session is confirmed,
 * false when they cancelled.
 */
export type ReauthHandler = () => Promise<boolean>;
let reauthHandler: ReauthHandler | null = null;
let reauthPending: Promise<boolean> | null = null;

/** Registers the re-authentication dialog (one at a time); returns the unregister function. */
export function setReauthHandler(fn: ReauthHandler): () => void {
  reauthHandler = fn;
  return () => {
    if (reauthHandler === fn) reauthHandler = null;
  };
}

/** Asks once for a proof, however many calls wait for it at the same time. */
function reauthenticate(): Promise<boolean> {
  if (!reauthHandler) return Promise.resolve(false);
  if (!reauthPending) {
    reauthPending = reauthHandler().finally(() => {
      reauthPending = null;
    });
  }
  return reauthPending;
}

/** The API path each response answered (for the problem listeners). */
const answeredPath = new WeakMap<Response, string>();

/** Builds the fetch function the client uses; `base` is injectable for tests. */
export function kollabFetch(base: typeof fetch = (...a) => globalThis.fetch(...a)): (req: Request) => Promise<Response> {
  return async (req: Request) => {
    const unsafe = !SAFE.has(req.method.toUpperCase());
    const spare = unsafe ? req.clone() : null;
    const send = async (r: Request, renew: boolean) => {
      r.headers.set('Accept-Language', language);
      if (unsafe) r.headers.set(CSRF_HEADER, await csrf(base, renew));
      return base(r);
    };
    let res: Response;
    try {
      res = await send(req, false);
      if (spare && (await isForbiddenWith(res, 'csrf-failed'))) res = await send(spare.clone(), true);
      // An action on the account's credentials wants a fresh proof: ask for it, then
      // send the action once more.
      if (spare && (await isForbiddenWith(res, 'reauth-required')) && (await reauthenticate())) res = await send(spare.clone(), false);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      throw ApiError.network(e);
    }
    answeredPath.set(res, new URL(req.url).pathname);
    return res;
  };
}

export const api = createClient<paths>({
  baseUrl: origin(),
  credentials: 'same-origin',
  fetch: kollabFetch(),
});

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/**
 * Awaits an openapi-fetch call and returns its data, or throws an ApiError built from the
 * problem (and tells the listeners). 204 answers give undefined.
 */
export async function call<T>(pending: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await pending;
  } catch (e) {
    throw e instanceof ApiError ? e : ApiError.network(e);
  }
  if (result.response.ok) return result.data as T;
  const err = ApiError.from(result.response, result.error);
  const path = answeredPath.get(result.response) ?? '';
  for (const fn of listeners) fn(err, path);
  throw err;
}

/** Drops empty strings and undefined from query parameters. */
export function query<T extends Record<string, unknown>>(params: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
