// TOTP codes for the test accounts, computed from the manual key the app shows. The server
// accepts each 30-second time step once per account (and ±1 step), so every sign-in or
// confirmation takes a step no earlier than any used before, waiting for time to pass
// when needed. Its replay protection is never switched off.
import { Secret, TOTP } from 'otpauth';

const PERIOD = 30;

export class Authenticator {
  constructor(secret) {
    this.totp = new TOTP({ secret: Secret.fromBase32(secret.replace(/\s+/g, '')), digits: 6, period: PERIOD, algorithm: 'SHA1' });
    this.lastStep = -Infinity;
    this.lastCode = null;
  }

  codeAt(step) {
    return this.totp.generate({ timestamp: step * PERIOD * 1000 });
  }

  /** A code of a step not used yet: the current step, or the next one, or after waiting. */
  async nextCode() {
    for (;;) {
      const now = Date.now() / 1000;
      const cur = Math.floor(now / PERIOD);
      const step = Math.max(this.lastStep + 1, cur);
      // The current step is safe for a whole period; the next one only once we are
      // at least a few seconds into the current step (so clock edges cannot hurt).
      if (step === cur || (step === cur + 1 && now - cur * PERIOD > 3)) {
        this.lastStep = step;
        this.lastCode = this.codeAt(step);
        return this.lastCode;
      }
      const wait = (cur + 1) * PERIOD - now + 0.5;
      await new Promise((r) => setTimeout(r, Math.max(200, wait * 1000)));
    }
  }

  /** A six-digit code that is not valid in any step the server would accept now. */
  wrongCode() {
    const cur = Math.floor(Date.now() / 1000 / PERIOD);
    const valid = new Set([-2, -1, 0, 1, 2].map((d) => this.codeAt(cur + d)));
    for (const c of ['000000', '111111', '123456', '999999']) if (!valid.has(c)) return c;
    return '000001';
  }
}
