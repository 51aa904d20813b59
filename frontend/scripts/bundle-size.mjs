#!/usr/bin/env node
// Checks the JavaScript budget of the built app: the scripts index.html loads before
// anything else (entry and module preloads), gzip-compressed, must stay within 250 KB.
// Lazy chunks (the admin console) are listed but not counted. Runs after every build.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET = 250 * 1024;
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const initial = new Set([...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]));
const gz = (f) => gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

let total = 0;
for (const f of initial) {
  const size = gz(f);
  total += size;
  console.log(`initial  ${f}  ${kb(size)} gzip`);
}
for (const f of readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js') && !initial.has(`assets/${f}`))) {
  console.log(`lazy     assets/${f}  ${kb(gz(`assets/${f}`))} gzip`);
}
for (const f of readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.css'))) {
  console.log(`css      assets/${f}  ${kb(gz(`assets/${f}`))} gzip`);
}
console.log(`initial JavaScript: ${kb(total)} gzip (budget ${kb(BUDGET)})`);
if (initial.size === 0 || total > BUDGET) {
  console.error(initial.size === 0 ? 'no initial script found in dist/index.html' : 'over the budget');
  process.exit(1);
}
