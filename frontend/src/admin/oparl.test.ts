import { describe, expect, it } from 'vitest';
import { termErrors } from './OParlPage';

describe('legislative terms', () => {
  it('need a name and a start; the end not before the start; empty rows are dropped', () => {
    expect(termErrors([{ key: 1, name: '', start: '', end: '' }])).toEqual({});
    expect(termErrors([{ key: 1, name: 'WP 2024', start: '2024-06-01', end: '' }])).toEqual({});
    expect(termErrors([{ key: 1, name: '', start: '2024-06-01', end: '' }])).toEqual({ 0: { name: 'admin.oparl.termNameRequired' } });
    expect(termErrors([{ key: 1, name: 'WP', start: '2024-06-01', end: '2024-01-01' }])).toEqual({ 0: { end: 'admin.oparl.termEndBeforeStart' } });
    expect(termErrors([{ key: 1, name: 'WP', start: '', end: '' }])).toEqual({ 0: { start: 'admin.oparl.termStartRequired' } });
  });
});
