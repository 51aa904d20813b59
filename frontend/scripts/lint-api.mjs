#!/usr/bin/env node
// Lints Kollab's OpenAPI 3.1 document with Redocly CLI and the rules in redocly.yaml
// (the recommended set); fails on any error, prints every warning.
//
//   node scripts/lint-api.mjs [SOURCE]
//
// SOURCE as for gen-api.mjs: a URL or a file; else KOLLAB_OPENAPI_URL, else the binary in
// KOLLAB_BIN is started and asked for its document (scripts/test does so).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDocument } from './openapi-doc.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const config = join(here, '..', 'redocly.yaml');
const cli = join(dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin', 'cli.js');
const source = process.argv.slice(2).find((a) => !a.startsWith('--'));

const text = await loadDocument(source);
JSON.parse(text); // a clear error for a document that is not JSON
const dir = mkdtempSync(join(tmpdir(), 'kollab-lint-api-'));
try {
  const file = join(dir, 'openapi.json');
  writeFileSync(file, text);
  const res = spawnSync(
    process.execPath,
    [cli, 'lint', file, '--config', config, '--format', 'stylish', '--max-problems', '10000'],
    {
      stdio: 'inherit',
      // No usage data and no update check: the lint runs offline in CI.
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  );
  if (res.error) throw res.error;
  process.exitCode = res.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
