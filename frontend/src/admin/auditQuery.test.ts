import { describe, expect, it } from 'vitest';
import { auditFilterError, auditQuery } from './auditQuery';

describe('auditQuery', () => {
  it('sends only the filters that are set', () => {
    expect(auditQuery({ actor: '', action: '', from: '', to: '' })).toEqual({ limit: 25 });
    expect(auditQuery({ actor: 'u-1', action: ' auth. ', from: '', to: '' }, 77, 10)).toEqual({ actor: 'u-1', action: 'auth.', cursor: 77, limit: 10 });
  });

  it('makes the "to" day inclusive (its end is the exclusive bound)', () => {
    const q = auditQuery({ actor: '', action: '', from: '2026-05-04', to: '2026-05-04' });
    expect(new Date(q.to!).getTime() - new Date(q.from!).getTime()).toBe(24 * 3600 * 1000);
  });

  it('refuses a range that ends before it starts', () => {
    expect(auditFilterError({ actor: '', action: '', from: '2026-05-04', to: '2026-05-03' })).toBe('range');
    expect(auditFilterError({ actor: '', action: '', from: '2026-05-04', to: '' })).toBeUndefined();
  });
});
