import { describe, expect, it } from 'vitest';
import { every } from './every';

type Colour = 'red' | 'green' | 'blue';

describe('every', () => {
  it('gives the list back, typed as it was written', () => {
    const colours = every<Colour>()(['red', 'green', 'blue']);
    const first: 'red' = colours[0];
    expect(first).toBe('red');
    expect(colours).toEqual(['red', 'green', 'blue']);
  });

  it('does not compile with a value missing or unknown (checked by tsc)', () => {
    // @ts-expect-error 'blue' is missing
    every<Colour>()(['red', 'green']);
    // @ts-expect-error 'black' is not a colour
    every<Colour>()(['red', 'green', 'blue', 'black']);
    expect(true).toBe(true);
  });
});
