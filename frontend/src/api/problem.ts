// RFC 9457 problem details as the Kollab API sends them, and the error type the
// app throws for every failed API call.

/** The problem codes the API documents (plus the app's own `network` and `unknown`). */
export type ProblemCode =
  | 'invalid-input'
  | 'not-found'
  | 'conflict'
  | 'unauthenticated'
  | 'session-expired'
  | 'invalid-credentials'
  | 'second-factor-required'
  | 'invalid-code'
  | 'totp-enrolment-required'
  | 'forbidden'
  | 'reauth-required'
  | 'membership-deactivated'
  | 'rate-limited'
  | 'account-locked'
  | 'expired'
  | 'precondition-failed'
  | 'too-large'
  | 'resource-locked'
  | 'length-required'
  | 'range-not-satisfiable'
  | 'unavailable'
  | 'internal'
  | 'csrf-failed'
  | 'invitation-other-account'
  | 'network'
  | 'unknown';

export interface ProblemDetail {
  location?: string;
  message?: string;
  value?: unknown;
}

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  field?: string;
  errors?: ProblemDetail[] | null;
}

const knownCodes = new Set<string>([
  'invalid-input', 'not-found', 'conflict', 'unauthenticated', 'session-expired', 'invalid-credentials', 'second-factor-required',
  'invalid-code', 'totp-enrolment-required', 'forbidden', 'membership-deactivated', 'rate-limited', 'account-locked',
  'expired', 'precondition-failed', 'too-large', 'resource-locked', 'length-required', 'range-not-satisfiable', 'unavailable',
  'internal', 'csrf-failed', 'invitation-other-account',
]);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads a problem from an already parsed body; anything else gives an empty problem. */
export function toProblem(body: unknown): Problem {
  if (!isRecord(body)) return {};
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
  return {
    type: str('type'),
    title: str('title'),
    status: typeof body.status === 'number' ? body.status : undefined,
    detail: str('detail'),
    code: str('code'),
    field: str('field'),
    errors: Array.isArray(body.errors) ? (body.errors.filter(isRecord) as ProblemDetail[]) : undefined,
  };
}

/** Maps a problem's code (or, failing that, its type URI or the HTTP status) to a ProblemCode. */
export function problemCode(problem: Problem, status: number): ProblemCode {
  const fromType = problem.type?.startsWith('urn:kollab:problem:') ? problem.type.slice('urn:kollab:problem:'.length) : undefined;
  for (const c of [problem.code, fromType]) {
    if (c && knownCodes.has(c)) return c as ProblemCode;
  }
  switch (status) {
    case 400:
    case 422:
      return 'invalid-input';
    case 401:
      return 'unauthenticated';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 409:
      return 'conflict';
    case 410:
      return 'expired';
    case 412:
      return 'precondition-failed';
    case 413:
      return 'too-large';
    case 423:
      return 'account-locked';
    case 429:
      return 'rate-limited';
    case 503:
      return 'unavailable';
  }
  return status >= 500 ? 'internal' : 'unknown';
}

/** Seconds from a Retry-After header (delta-seconds or HTTP date). */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** A failed API call: carries the problem's German or English title and detail. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: ProblemCode;
  readonly title: string;
  readonly detail: string;
  readonly field?: string;
  readonly errors: ProblemDetail[];
  readonly retryAfter?: number;

  constructor(init: { status: number; code: ProblemCode; title?: string; detail?: string; field?: string; errors?: ProblemDetail[]; retryAfter?: number }) {
    super(init.detail || init.title || init.code);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title ?? '';
    this.detail = init.detail ?? '';
    this.field = init.field || undefined;
    this.errors = init.errors ?? [];
    this.retryAfter = init.retryAfter;
  }

  /** Builds the error from a response and its (possibly already parsed) body. */
  static from(response: Response, body: unknown): ApiError {
    let parsed = body;
    if (typeof body === 'string') {
      try {
        parsed = JSON.parse(body);
      } catch {
        parsed = undefined;
      }
    }
    const p = toProblem(parsed);
    return new ApiError({
      status: response.status,
      code: problemCode(p, response.status),
      title: p.title,
      detail: p.detail,
      field: p.field,
      errors: p.errors ?? undefined,
      retryAfter: parseRetryAfter(response.headers.get('Retry-After')),
    });
  }

  /** The server could not be reached at all. */
  static network(cause?: unknown): ApiError {
    const e = new ApiError({ status: 0, code: 'network' });
    (e as { cause?: unknown }).cause = cause;
    return e;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

/** True for the problems that mean "no valid session (any more)". */
export function isSessionGone(code: ProblemCode): boolean {
  return code === 'unauthenticated' || code === 'session-expired';
}
