import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Snippet, snippetParts } from './snippet';

describe('search snippets', () => {
  it('takes the API’s parts as they are', () => {
    expect(snippetParts([{ text: 'Antrag auf ', hit: false }, { text: 'Fristverlängerung', hit: true }, { text: ' bis Juni' }])).toEqual([
      { text: 'Antrag auf ', hit: false },
      { text: 'Fristverlängerung', hit: true },
      { text: ' bis Juni', hit: false },
    ]);
  });

  it('reads hit markers in a string (\\u0002…\\u0003 or <mark>…</mark>)', () => {
    expect(snippetParts('a \u0002Frist\u0003 b')).toEqual([
      { text: 'a ', hit: false },
      { text: 'Frist', hit: true },
      { text: ' b', hit: false },
    ]);
    expect(snippetParts('<mark>Bau</mark>antrag <MARK>Frist</MARK>')).toEqual([
      { text: 'Bau', hit: true },
      { text: 'antrag ', hit: false },
      { text: 'Frist', hit: true },
    ]);
    // An unclosed marker highlights to the end; unknown shapes give nothing.
    expect(snippetParts('x \u0002y')).toEqual([
      { text: 'x ', hit: false },
      { text: 'y', hit: true },
    ]);
    expect(snippetParts(42)).toEqual([]);
    expect(snippetParts([{ nope: 1 }, null, { text: 7 }])).toEqual([]);
  });

  it('renders hits as <mark> and everything else as text — markup in the text cannot inject', () => {
    const evil = [
      { text: '<img src=x onerror=alert(1)> Vorlage ', hit: false },
      { text: '<script>alert(2)</script>', hit: true },
      { text: ' <b>fett</b>', hit: false },
    ];
    const { container } = render(<Snippet snippet={evil} />);
    expect(container.querySelectorAll('img, script, b')).toHaveLength(0);
    const marks = container.querySelectorAll('mark');
    expect(marks).toHaveLength(1);
    expect(marks[0].textContent).toBe('<script>alert(2)</script>');
    expect(container.textContent).toBe('<img src=x onerror=alert(1)> Vorlage <script>alert(2)</script> <b>fett</b>');
  });

  it('keeps markup inside a marked string as text too', () => {
    const { container } = render(<Snippet snippet={'<mark><i>x</i></mark><iframe src="https://evil"></iframe>'} />);
    expect(container.querySelector('iframe, i')).toBeNull();
    expect(container.querySelector('mark')?.textContent).toBe('<i>x</i>');
  });

  it('renders nothing for an empty snippet', () => {
    const { container } = render(<Snippet snippet="" />);
    expect(container.innerHTML).toBe('');
  });
});
