#!/usr/bin/env node
// npm run e2e — the browser tests: playwright-core drives Debian's Chromium against the
// real `kollab serve` (KOLLAB_BIN) on a fresh SQLite data folder. Builds nothing itself:
// the binary must embed the built web app (npm run build, then go build).
// Prints "N passed, M failed" at the end and exits non-zero on any failure.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { Artifacts, Runner, watchPage } from './lib/harness.mjs';
import { startKollab } from './lib/server.mjs';
import { register } from './scenario.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CHROMIUM = process.env.KOLLAB_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = resolve(process.env.KOLLAB_ARTIFACTS ?? join(here, '..', '..', 'test-artifacts'));

function fail(msg) {
  console.error(`e2e: ${msg}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const bin = process.env.KOLLAB_BIN;
if (!bin) fail('set KOLLAB_BIN to a built kollab binary (go build -o /tmp/kollab ./cmd/kollab after npm run build)');
if (!existsSync(bin)) fail(`KOLLAB_BIN=${bin} does not exist`);
if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} is missing: apt-get install -y chromium (a browser is never downloaded)`);

let server;
let browser;
let exitCode = 1;
const problems = [];
const env = { problems };
try {
  server = await startKollab(bin);
  console.log(`e2e: kollab serve on ${server.baseURL} (tenant ${server.admin.tenant}), screenshots in ${ARTIFACTS}`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  Object.assign(env, { server, browser, art: new Artifacts(ARTIFACTS), watch: (page) => watchPage(page, problems) });
  const runner = new Runner();
  register(runner, env);
  runner.test('no Content-Security-Policy violations or script errors on any page', async () => {
    if (problems.length) throw new Error(problems.join('\n'));
  }, { independent: true });

  const results = await runner.run();
  await env.cleanup?.();
  const passed = results.filter((r) => r.status === 'passed').length;
  const failed = results.filter((r) => r.status === 'failed').length;
  const skipped = results.filter((r) => r.status === 'skipped').length;
  const axe = env.art.axe;
  console.log(`e2e: axe (${axe.length} screens, tags wcag2a wcag2aa wcag21a wcag21aa): ${axe.reduce((n, a) => n + a.violations, 0)} violations`);
  console.log(`e2e: ${env.art.shots.length} screenshots written to ${ARTIFACTS}`);
  if (env.state?.cls !== undefined) console.log(`e2e: cumulative layout shift of the start page: ${env.state.cls.toFixed(4)}`);
  if (failed || skipped) {
    console.log('e2e: last server log lines:\n' + server.logs().split('\n').slice(-15).join('\n'));
  }
  console.log(`${passed} passed, ${failed + skipped} failed`);
  exitCode = failed || skipped ? 1 : 0;
} catch (e) {
  console.error(e?.stack ?? e);
  console.log('0 passed, 1 failed');
  exitCode = 1;
} finally {
  await browser?.close().catch(() => undefined);
  await server?.stop().catch(() => undefined);
}
process.exit(exitCode);
