// Search snippets: excerpts whose matching words are highlighted. The API sends a snippet
// as plain-text parts ({text, hit}); a snippet given as one string marks hits with
// \u0002…\u0003 (the search engine's markers) or with literal <mark>…</mark>. Either way
// the text is rendered as text, never as HTML: anything else that looks like markup
// stays visible as characters.

export interface SnippetPart {
  text: string;
  hit: boolean;
}

const OPEN = /\u0002|<mark>/gi;

function fromString(s: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  const push = (text: string, hit: boolean) => {
    if (!text) return;
    const last = parts[parts.length - 1];
    if (last && last.hit === hit) last.text += text;
    else parts.push({ text, hit });
  };
  let rest = s;
  for (;;) {
    OPEN.lastIndex = 0;
    const open = OPEN.exec(rest);
    if (!open) {
      push(rest, false);
      break;
    }
    push(rest.slice(0, open.index), false);
    rest = rest.slice(open.index + open[0].length);
    const close = open[0] === '\u0002' ? /\u0003/ : /<\/mark>/i;
    const m = close.exec(rest);
    if (!m) {
      push(rest, true);
      break;
    }
    push(rest.slice(0, m.index), true);
    rest = rest.slice(m.index + m[0].length);
  }
  return parts;
}

function isPart(v: unknown): v is { text: unknown; hit?: unknown } {
  return typeof v === 'object' && v !== null && 'text' in v;
}

/** Normalises whatever the API sent as a snippet into parts (unknown shapes give none). */
export function snippetParts(snippet: unknown): SnippetPart[] {
  if (typeof snippet === 'string') return fromString(snippet);
  if (Array.isArray(snippet)) {
    return snippet.filter(isPart).flatMap((p) => {
      const text = typeof p.text === 'string' ? p.text : '';
      if (!text) return [];
      // A part may itself carry markers; a hit part stays a hit throughout.
      return p.hit === true ? [{ text: text.replace(/\u0002|\u0003/g, ''), hit: true }] : fromString(text);
    });
  }
  return [];
}

/** A snippet with its hits in <mark>; the text is React text, so it cannot inject markup. */
export function Snippet({ snippet, className }: { snippet: unknown; className?: string }) {
  const parts = snippetParts(snippet);
  if (parts.length === 0) return null;
  return (
    <p className={className ?? 'kern-body app-snippet'}>
      {parts.map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </p>
  );
}
