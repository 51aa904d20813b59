// Starts the real `kollab serve` (the binary in KOLLAB_BIN) on a fresh SQLite data
// folder and a free port, reads the first admin's credentials from its stderr, and
// stops it again.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const CREDENTIALS = /Mandant:\s*(\S+)\s+E-Mail:\s*(\S+)\s+Passwort:\s*(\S+)/;

export async function startKollab(bin) {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'kollab-e2e-'));
  const baseURL = `http://localhost:${port}`;
  // Secure cookies stay on: Chromium treats http://localhost as a secure context.
  const env = { ...process.env, KOLLAB_DATA_DIR: dataDir, KOLLAB_LISTEN: `127.0.0.1:${port}`, KOLLAB_PUBLIC_URL: baseURL };
  delete env.KOLLAB_SECURE_COOKIES;
  delete env.KOLLAB_DATABASE_URL;
  delete env.KOLLAB_STORAGE_URL;
  const child = spawn(bin, ['serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));

  const deadline = Date.now() + 60_000;
  let admin = null;
  for (;;) {
    const m = CREDENTIALS.exec(stderr);
    if (m && !admin) admin = { tenant: m[1], email: m[2], password: m[3] };
    if (admin) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.ok) break;
      } catch {
        /* not yet */
      }
    }
    if (child.exitCode !== null) throw new Error(`kollab serve exited (${child.exitCode}):\n${stderr.slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`kollab serve did not start within 60 s:\n${stderr.slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 150));
  }

  return {
    baseURL,
    port,
    admin,
    /** Runs a kollab command (tenant create, user create, …) on the same data folder. */
    cli(args) {
      const res = spawnSync(bin, args, { env, encoding: 'utf8', timeout: 60_000 });
      if (res.status !== 0) throw new Error(`kollab ${args.join(' ')} failed (${res.status}):\n${res.stdout}${res.stderr}`);
      return res.stdout;
    },
    logs: () => stdout + stderr,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
