import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import de from '../i18n/de.json';
import en from '../i18n/en.json';

type Tree = { [k: string]: string | Tree };

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keys(v, `${prefix}${k}.`)));
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [p] : [];
  });
}

const deKeys = new Set(keys(de as Tree));
const enKeys = new Set(keys(en as Tree));
const has = (set: Set<string>, key: string) => set.has(key) || set.has(`${key}_one`) || set.has(`${key}_other`);

describe('translations', () => {
  it('German and English have the same keys', () => {
    expect([...deKeys].filter((k) => !enKeys.has(k))).toEqual([]);
    expect([...enKeys].filter((k) => !deKeys.has(k))).toEqual([]);
  });

  it('every literal key used in the code exists in both languages', () => {
    const root = join(__dirname, '..');
    const used = new Set<string>();
    for (const file of sources(root)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)) used.add(m[1]);
      // keys kept in data (module registry, tabs): 'section.key' string literals
      for (const m of text.matchAll(/(?:label|description): '([a-z]+\.[a-zA-Z0-9_.]+)'/g)) used.add(m[1]);
    }
    expect(used.size).toBeGreaterThan(100);
    const missing = [...used].filter((k) => !has(deKeys, k) || !has(enKeys, k));
    expect(missing).toEqual([]);
  });

  // Audit actions are labelled by the server's catalogue (GET /audit/actions), which a Go
  // test keeps complete; see admin/labels.test.ts.
  it('every role has a label', () => {
    for (const r of ['admin', 'staff', 'committee', 'partner']) expect(deKeys.has(`roles.${r}`) && enKeys.has(`roles.${r}`)).toBe(true);
  });
});
