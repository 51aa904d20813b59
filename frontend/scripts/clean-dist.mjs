#!/usr/bin/env node
// Empties frontend/dist before a build but keeps dist/.gitkeep (tracked by git: the Go
// binary embeds the folder, which must exist even before the first build).
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
let entries = [];
try {
  entries = readdirSync(dist);
} catch {
  process.exit(0);
}
for (const name of entries) {
  if (name !== '.gitkeep') rmSync(join(dist, name), { recursive: true, force: true });
}
