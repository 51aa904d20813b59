// A small sequential test runner for the browser tests, with helpers for axe checks,
// screenshots and the checks every page gets (no CSP violations, no page errors).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export class Runner {
  constructor() {
    this.tests = [];
    this.results = [];
  }

  /** Registers a step; steps run in order and a failed step skips those that depend on it. */
  test(name, fn, { timeout = 180_000, independent = false } = {}) {
    this.tests.push({ name, fn, timeout, independent });
  }

  async run() {
    let broken = null;
    for (const t of this.tests) {
      if (broken && !t.independent) {
        this.results.push({ name: t.name, status: 'skipped', error: `after failure of "${broken}"` });
        console.log(`  - ${t.name} (skipped: depends on "${broken}")`);
        continue;
      }
      const start = Date.now();
      try {
        await Promise.race([
          t.fn(),
          new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${t.timeout / 1000} s`)), t.timeout).unref()),
        ]);
        this.results.push({ name: t.name, status: 'passed' });
        console.log(`  ✓ ${t.name} (${((Date.now() - start) / 1000).toFixed(1)} s)`);
      } catch (e) {
        this.results.push({ name: t.name, status: 'failed', error: e });
        console.log(`  ✗ ${t.name}\n${indent(e?.stack ?? String(e))}`);
        if (!t.independent) broken = t.name;
      }
    }
    return this.results;
  }
}

function indent(s) {
  return String(s)
    .split('\n')
    .slice(0, 25)
    .map((l) => `      ${l}`)
    .join('\n');
}

export function expect(cond, message) {
  if (!cond) throw new Error(message);
}

/**
 * Reads a value from the page until check(value) holds and returns it. A page fills in
 * its content after requests (a breadcrumb first shows "…", a list its previous page), so
 * a single read right after an action races it: every read of content that arrives
 * asynchronously goes through here. On timeout it fails with the message and the last
 * value it saw.
 */
export async function eventually(read, check, message, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`${message} (last seen: ${JSON.stringify(value)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** eventually() for a list of texts that must equal the expected one. */
export function texts(locator, want, message, timeout) {
  return eventually(() => locator.allTextContents(), (got) => JSON.stringify(got) === JSON.stringify(want), message, timeout);
}

/** Records console errors and page errors; CSP violations always count as failures. */
export function watchPage(page, problems) {
  page.on('pageerror', (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    const text = m.text();
    if (/Content Security Policy|Refused to (load|apply|execute|connect)/i.test(text)) problems.push(`CSP violation on ${page.url()}: ${text}`);
    // Failed API answers (401 before sign-in, refused codes) are expected; anything else logged as an error is not.
    else if (m.type() === 'error' && !text.startsWith('Failed to load resource')) problems.push(`console error on ${page.url()}: ${text}`);
  });
}

export class Artifacts {
  constructor(dir) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true });
    this.shots = [];
    this.axe = [];
  }

  async shot(page, name) {
    // Let fonts and transitions settle so the picture shows what a person sees.
    await page.evaluate(() => document.fonts.ready);
    const path = join(this.dir, `${name}.png`);
    // A modal dialog sits in the viewport: photograph that; otherwise the whole page.
    const modal = await page.evaluate(() => document.querySelector('dialog[open]') !== null);
    await page.screenshot({ path, fullPage: !modal, animations: 'disabled' });
    this.shots.push(name);
    return path;
  }

  /** Runs axe with the WCAG 2.1 A/AA tags; any violation fails the calling test. */
  async checkA11y(page, screen) {
    const result = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
    this.axe.push({ screen, violations: result.violations.length, passes: result.passes.length });
    if (result.violations.length > 0) {
      const lines = result.violations.map(
        (v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')} – ${n.failureSummary?.split('\n').join(' ')}`).join('\n')}`,
      );
      throw new Error(`axe: ${result.violations.length} violation(s) on "${screen}":\n${lines.join('\n')}`);
    }
  }

  /** Screenshot and axe check of one screen. */
  async screen(page, name) {
    await this.checkA11y(page, name);
    await this.shot(page, name);
  }
}
