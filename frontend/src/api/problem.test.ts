import { describe, expect, it } from 'vitest';
import { ApiError, parseRetryAfter, problemCode, toProblem } from './problem';

const res = (status: number, headers: Record<string, string> = {}) => new Response(null, { status, headers });

describe('problem mapping', () => {
  it('takes the code the API sends', () => {
    const p = toProblem({ type: 'urn:kollab:problem:invalid-code', title: 'Code ungültig', status: 401, detail: 'Der Code ist falsch', code: 'invalid-code' });
    expect(problemCode(p, 401)).toBe('invalid-code');
  });

  it('falls back to the type URI, then to the HTTP status', () => {
    expect(problemCode({ type: 'urn:kollab:problem:account-locked' }, 423)).toBe('account-locked');
    expect(problemCode({}, 401)).toBe('unauthenticated');
    expect(problemCode({}, 422)).toBe('invalid-input');
    expect(problemCode({ code: 'something-new' }, 409)).toBe('conflict');
    expect(problemCode({}, 502)).toBe('internal');
    expect(problemCode({}, 418)).toBe('unknown');
  });

  it('ignores fields of the wrong type', () => {
    expect(toProblem({ title: 5, code: ['x'], errors: 'no' })).toEqual({ type: undefined, title: undefined, status: undefined, detail: undefined, code: undefined, field: undefined, errors: undefined });
    expect(toProblem('plain text')).toEqual({});
    expect(toProblem(null)).toEqual({});
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('120')).toBe(120);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2026-01-01T10:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 10:01:30 GMT', now)).toBe(90);
  });

  it('builds an ApiError with title, detail, field and wait time', () => {
    const body = { title: 'Vorübergehend gesperrt', status: 423, detail: 'Die Anmeldung ist gesperrt.', code: 'account-locked' };
    const err = ApiError.from(res(423, { 'Retry-After': '900' }), body);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 423, code: 'account-locked', title: 'Vorübergehend gesperrt', detail: 'Die Anmeldung ist gesperrt.', retryAfter: 900 });
    const field = ApiError.from(res(422), JSON.stringify({ code: 'invalid-input', field: 'new_password', detail: 'Zu kurz' }));
    expect(field.field).toBe('new_password');
    expect(field.message).toBe('Zu kurz');
  });

  it('copes with bodies that are no problem at all', () => {
    const err = ApiError.from(res(502), '<html>Bad gateway</html>');
    expect(err.code).toBe('internal');
    expect(err.title).toBe('');
    expect(ApiError.network(new TypeError('fetch failed')).code).toBe('network');
  });
});
