import { describe, expect, it } from 'vitest';
import type { Minutes } from './model';
import { minutesEdit } from './MinutesPage';

const minutes = {
  preamble: 'Eröffnung',
  closing: '',
  items: [
    { agenda_item_id: 'a', summary: 'S1', decision: 'D1' },
    { agenda_item_id: 'b', summary: '', decision: '' },
  ],
} as unknown as Minutes;

describe('minutesEdit', () => {
  it('sends only what changed', () => {
    const texts = { preamble: 'Eröffnung', closing: '', items: { a: { summary: 'S1', decision: 'D1' }, b: { summary: '', decision: '' } } };
    expect(minutesEdit(minutes, texts)).toEqual({});
    expect(minutesEdit(minutes, { ...texts, closing: 'Ende' })).toEqual({ closing: 'Ende' });
    expect(minutesEdit(minutes, { ...texts, items: { ...texts.items, b: { summary: 'neu', decision: '' } } })).toEqual({
      items: [{ agenda_item_id: 'b', summary: 'neu', decision: '' }],
    });
  });
});
