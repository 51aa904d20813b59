// Loads Kollab's OpenAPI 3.1 document, for gen-api.mjs and lint-api.mjs.
//
// SOURCE is a URL (http://127.0.0.1:8080/api/v1/openapi.json) or a file. Without it,
// KOLLAB_OPENAPI_URL is used, or else the binary in KOLLAB_BIN is started on a free port
// with a throw-away data folder and asked for its document.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function fromBinary(bin) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'kollab-openapi-'));
  const child = spawn(bin, ['serve'], {
    env: { ...process.env, KOLLAB_DATA_DIR: dataDir, KOLLAB_LISTEN: `127.0.0.1:${port}` },
    stdio: 'ignore',
  });
  try {
    const url = `http://127.0.0.1:${port}/api/v1/openapi.json`;
    for (let i = 0; i < 150; i++) {
      try {
        const res = await fetch(url);
        if (res.ok) return await res.text();
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${bin} did not serve ${url} within 30 s`);
  } finally {
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The document's text, from SOURCE, KOLLAB_OPENAPI_URL or KOLLAB_BIN. */
export async function loadDocument(source = process.env.KOLLAB_OPENAPI_URL) {
  if (source && /^https?:\/\//.test(source)) {
    const res = await fetch(source);
    if (!res.ok) throw new Error(`GET ${source}: ${res.status}`);
    return res.text();
  }
  if (source) return readFileSync(source, 'utf8');
  if (process.env.KOLLAB_BIN) return fromBinary(process.env.KOLLAB_BIN);
  throw new Error('no source: pass a URL or file, or set KOLLAB_OPENAPI_URL or KOLLAB_BIN');
}
