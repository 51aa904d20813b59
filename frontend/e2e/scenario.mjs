// The end-to-end scenario against the real server: the first admin signs in and enrols
// TOTP, invites a staff member who accepts in a second browser (at 320 px), enrols and
// signs in; wrong and replayed codes are refused; the admin changes the member's role
// and resets their 2FA; the audit log shows all of it. Every screen is checked with axe
// and photographed.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Authenticator } from './lib/totp.mjs';
import { eventually, expect, texts } from './lib/harness.mjs';
import { registerAddressBook } from './addressbook.mjs';
import { registerAdmin } from './admin.mjs';
import { registerCommittees } from './committees.mjs';
import { registerDocuments } from './documents.mjs';
import { registerWorkspaces } from './workspaces.mjs';
import { registerGuests } from './guests.mjs';
import { registerConsultations } from './consultations.mjs';
import { registerNotifications } from './notifications.mjs';

const STAFF = { email: 'sabine.staff@kollab.localhost', name: 'Sabine Sachbearbeiterin', password: 'Sonnenblume-Amt-2026', newPassword: 'Rathausplatz-Linde-77' };
const COUNCILLOR = { email: 'ria.rat@example.org' }; // invited as a committee member (guests are invited in a workspace)
const CHIEF = { email: 'leitung@nord.example', name: 'Nora Nord', password: 'Leuchtturm-Hafen-4711' };

export function register(runner, env) {
  const { server, browser, art, problems } = env;
  const base = server.baseURL;
  const admin = { ...server.admin };
  const state = {};
  let adminCtx, adminPage, staffCtx, staffPage;

  const newContext = async (opts = {}) => {
    const ctx = await browser.newContext({ baseURL: base, locale: 'de-DE', viewport: { width: 1280, height: 800 }, acceptDownloads: true, ...opts });
    await ctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base }).catch(() => undefined);
    return ctx;
  };
  const newPage = async (ctx) => {
    const page = await ctx.newPage();
    env.watch(page);
    return page;
  };
  const heading = (page) => page.locator('h1').first();
  const expectHeading = async (page, text) => {
    await page.locator('h1', { hasText: text }).first().waitFor({ timeout: 15_000 });
  };
  const navLink = (page, name) => page.getByRole('navigation', { name: /^(Hauptnavigation|Main navigation)$/ }).getByRole('link', { name, exact: true });
  const tab = (page, name) => page.getByRole('navigation', { name: 'Verwaltung', exact: true }).getByRole('link', { name, exact: true });
  // How far the page scrolls sideways, and the elements sticking out (for the message).
  const sideways = (page) =>
    page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      // Inside a scrolling or clipping box (that also clips absolutely positioned content)?
      const clipped = (e) => {
        const absolute = getComputedStyle(e).position === 'absolute';
        let positioned = !absolute;
        for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
          const st = getComputedStyle(p);
          if (positioned && ['auto', 'scroll', 'hidden', 'clip'].includes(st.overflowX)) return true;
          if (st.position !== 'static') positioned = true;
        }
        return false;
      };
      const culprits = [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > width + 0.5 && !clipped(e))
        .slice(0, 6)
        .map((e) => `${e.tagName.toLowerCase()}.${String(e.className).split(' ').join('.')} (right ${Math.round(e.getBoundingClientRect().right)})`);
      return { overflow: document.documentElement.scrollWidth - width, culprits };
    });
  const expectNoSideways = async (page, what) => {
    const { overflow, culprits } = await sideways(page);
    expect(overflow <= 0, `${what} scrolls sideways at ${page.viewportSize().width} px (${overflow} px too wide): ${culprits.join(', ')}`);
  };
  const alertWith = (page, text) => page.locator('[role=alert]', { hasText: text }).first();

  runner.test('the committed API types match the server’s OpenAPI document', async () => {
    const script = fileURLToPath(new URL('../scripts/gen-api.mjs', import.meta.url));
    const res = spawnSync(process.execPath, [script, `${base}/api/v1/openapi.json`, '--check'], { encoding: 'utf8' });
    expect(res.status === 0, `gen-api --check failed:\n${res.stdout}${res.stderr}`);
  }, { independent: true });

  runner.test('the server serves the built SPA with its security headers and client-route fallback', async () => {
    const res = await fetch(`${base}/t/demo/admin/audit`);
    const html = await res.text();
    expect(res.ok && html.includes('<div id="root">'), `GET /t/demo/admin/audit: ${res.status} — is frontend/dist built into this binary?\n${html.slice(0, 300)}`);
    expect(html.includes('<html lang="de">'), 'index.html must declare lang="de"');
    expect(!/<script(?![^>]*\bsrc=)[^>]*>/.test(html), 'index.html must not contain inline scripts (CSP)');
    expect(!/\sstyle=/.test(html), 'index.html must not contain inline styles (CSP)');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp.includes("script-src 'self'") && csp.includes("style-src 'self'"), `unexpected CSP: ${csp}`);
    const api = await fetch(`${base}/api/v1/nope`);
    expect(api.status === 404 && (api.headers.get('content-type') ?? '').includes('problem+json'), 'unknown API paths stay problems, not the SPA');
  }, { independent: true });

  runner.test('sign-in page: labelled form, German by default, wrong password is refused with a visible message', async () => {
    adminCtx = await newContext();
    adminPage = await newPage(adminCtx);
    await adminPage.goto('/');
    await expectHeading(adminPage, 'Anmelden');
    await eventually(() => adminPage.getAttribute('html', 'lang'), (v) => v === 'de', '<html lang> must be de');
    await art.screen(adminPage, 'de-01-login');
    // Keyboard: the first Tab reaches the skip link.
    await adminPage.keyboard.press('Tab');
    expect((await adminPage.evaluate(() => document.activeElement?.textContent)) === 'Zum Inhalt springen', 'first Tab stop must be the skip link');
    // Empty submit: client-side messages at the fields, focus on the first.
    await adminPage.getByRole('button', { name: 'Anmelden' }).click();
    await adminPage.getByText('Bitte geben Sie eine E-Mail-Adresse ein.').waitFor();
    await eventually(() => adminPage.evaluate(() => document.activeElement?.id), (v) => v === 'login-email', 'focus must move to the first invalid field');
    expect((await adminPage.getAttribute('#login-email', 'aria-invalid')) === 'true', 'invalid field must be marked aria-invalid');
    await art.screen(adminPage, 'de-02-login-empty');
    await adminPage.getByLabel('E-Mail-Adresse').fill(admin.email);
    await adminPage.getByLabel('Passwort').fill('falsches-passwort-123');
    await adminPage.getByRole('button', { name: 'Anmelden' }).click();
    const alert = alertWith(adminPage, 'Anmeldung fehlgeschlagen');
    await alert.waitFor();
    expect((await alert.textContent()).includes('E-Mail-Adresse oder Passwort ist falsch'), 'the problem detail must be shown');
    expect(await alert.evaluate((el) => el === document.activeElement || el.contains(document.activeElement)), 'the error must take focus');
    await art.screen(adminPage, 'de-03-login-wrong-password');
  });

  runner.test('first admin signs in and is made to enrol TOTP (QR code, manual key, recovery codes once, download)', async () => {
    await adminPage.getByLabel('Passwort').fill(admin.password);
    await adminPage.getByRole('button', { name: 'Anmelden' }).click();
    await expectHeading(adminPage, 'Zwei-Faktor-Anmeldung einrichten');
    const secretEl = adminPage.getByTestId('totp-secret');
    await secretEl.waitFor();
    const qr = adminPage.getByRole('img', { name: /QR-Code/ });
    expect(await qr.evaluate((img) => img.complete && img.naturalWidth > 100), 'the QR code image must load (data: URL under the CSP)');
    await art.screen(adminPage, 'de-04-enrol');
    state.adminAuth = new Authenticator(await secretEl.getAttribute('data-secret'));
    // A wrong code is refused with the server's message.
    await adminPage.getByLabel('Code aus der App').fill(state.adminAuth.wrongCode());
    await adminPage.getByRole('button', { name: 'Einrichtung bestätigen' }).click();
    await alertWith(adminPage, 'Code ungültig').waitFor();
    await adminPage.getByLabel('Code aus der App').fill(await state.adminAuth.nextCode());
    await adminPage.getByRole('button', { name: 'Einrichtung bestätigen' }).click();
    await adminPage.getByRole('heading', { name: 'Ihre Wiederherstellungscodes' }).waitFor();
    const codes = await eventually(() => adminPage.locator('[data-testid=recovery-codes] code').allTextContents(), (c) => c.length === 10, 'expected 10 recovery codes');
    state.adminRecovery = codes;
    await art.screen(adminPage, 'de-05-recovery-codes');
    const [download] = await Promise.all([adminPage.waitForEvent('download'), adminPage.getByRole('button', { name: 'Als Datei herunterladen' }).click()]);
    const text = readFileSync(await download.path(), 'utf8');
    expect(codes.every((c) => text.includes(c)), 'the downloaded file must hold every code');
    // Continuing needs the confirmation.
    await adminPage.getByRole('button', { name: 'Weiter' }).click();
    await adminPage.getByText('Bitte bestätigen Sie, dass Sie die Codes aufbewahrt haben.').waitFor();
    await adminPage.getByLabel('Ich habe die Codes sicher aufbewahrt.').check();
    await adminPage.getByRole('button', { name: 'Weiter' }).click();
    await expectHeading(adminPage, 'Willkommen');
    expect(new URL(adminPage.url()).pathname === '/t/demo', `expected the tenant start page, got ${adminPage.url()}`);
  });

  runner.test('start page: navigation shows the modules the role may use; English is one click away', async () => {
    const nav = adminPage.getByRole('navigation', { name: 'Hauptnavigation' });
    await texts(nav.getByRole('link'), ['Startseite', 'Dokumente', 'Gremien', 'Arbeitsräume', 'Adressverzeichnis', 'Profil', 'Verwaltung'], 'admin navigation');
    await art.screen(adminPage, 'de-06-start-admin');
    await adminPage.getByRole('button', { name: /English/ }).click();
    await expectHeading(adminPage, 'Welcome');
    await eventually(() => adminPage.getAttribute('html', 'lang'), (v) => v === 'en', '<html lang> must follow the language');
    await art.screen(adminPage, 'en-01-start-admin');
    await adminPage.getByRole('button', { name: /User menu/ }).click();
    await art.shot(adminPage, 'en-02-user-menu');
    await adminPage.keyboard.press('Escape');
    await navLink(adminPage, 'Administration').click();
    await expectHeading(adminPage, 'Members');
    await art.screen(adminPage, 'en-03-admin-members');
    await adminPage.getByRole('button', { name: /Deutsch/ }).click();
    await expectHeading(adminPage, 'Mitglieder');
    await eventually(() => adminPage.getAttribute('html', 'lang'), (v) => v === 'de', 'back to German');
  });

  runner.test('admin console loads as its own chunk; 2FA policy now covers staff', async () => {
    const scripts = await adminPage.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name).filter((n) => n.endsWith('.js')));
    expect(scripts.some((s) => /AdminConsole-[\w-]+\.js$/.test(s)), `the admin console chunk must be loaded lazily: ${scripts.join(', ')}`);
    await art.screen(adminPage, 'de-07-admin-members');
    await tab(adminPage, '2FA-Richtlinie').click();
    await expectHeading(adminPage, 'Richtlinie');
    await adminPage.getByLabel('Mitarbeitende').check();
    await adminPage.getByRole('button', { name: 'Speichern' }).click();
    await adminPage.getByText('Die Richtlinie wurde gespeichert.').waitFor();
    await art.screen(adminPage, 'de-08-admin-policy');
  });

  runner.test('admin invites a staff member and sees the acceptance link with a copy button', async () => {
    await tab(adminPage, 'Einladungen').click();
    await expectHeading(adminPage, 'Einladungen');
    await adminPage.getByLabel('E-Mail-Adresse').fill(STAFF.email);
    await adminPage.getByLabel('Rolle').selectOption('staff');
    await adminPage.getByRole('button', { name: 'Einladung senden' }).click();
    const link = adminPage.getByLabel('Einladungslink');
    await link.waitFor();
    state.acceptURL = await link.inputValue();
    expect(state.acceptURL.startsWith(`${base}/invite/demo#token=`), `unexpected accept_url ${state.acceptURL}`);
    await adminPage.getByRole('button', { name: 'Link kopieren' }).click();
    await adminPage.getByText('In die Zwischenablage kopiert.').waitFor();
    await adminPage.getByRole('cell', { name: STAFF.email, exact: true }).waitFor();
    await art.screen(adminPage, 'de-09-admin-invited');
  });

  runner.test('pending invitations can be resent and withdrawn; a withdrawn link is refused', async () => {
    await adminPage.getByLabel('E-Mail-Adresse').fill(COUNCILLOR.email);
    // Guests (partners) are invited in a workspace now; the console offers the other roles.
    expect((await adminPage.getByLabel('Rolle').locator('option[value="partner"]').count()) === 0, 'the console must not offer the partner role');
    await adminPage.getByLabel('Rolle').selectOption('committee');
    await adminPage.getByRole('button', { name: 'Einladung senden' }).click();
    // kollab serve runs here without KOLLAB_SMTP_URL: the page says no mail went out.
    await adminPage.getByText(`Einladung für ${COUNCILLOR.email} angelegt`).waitFor();
    await adminPage.getByText('E-Mail-Versand ist nicht eingerichtet – bitte Link weitergeben', { exact: false }).waitFor();
    const firstLink = await adminPage.getByLabel('Einladungslink').inputValue();
    await adminPage.getByRole('button', { name: new RegExp(`^Erneut senden\\W+${COUNCILLOR.email}$`) }).click();
    await adminPage.getByText(`Neuer Link für ${COUNCILLOR.email} erstellt`).waitFor();
    const secondLink = await eventually(() => adminPage.getByLabel('Einladungslink').inputValue(), (v) => v.includes('#token=') && v !== firstLink, 'resending must give a new link');
    await adminPage.getByRole('button', { name: new RegExp(`^Zurückziehen\\W+${COUNCILLOR.email}$`) }).click();
    const dialog = adminPage.getByRole('dialog', { name: 'Einladung zurückziehen?' });
    await dialog.waitFor();
    await art.screen(adminPage, 'de-10-admin-revoke-dialog');
    await dialog.getByRole('button', { name: 'Zurückziehen' }).click();
    await adminPage.getByText(`Die Einladung an ${COUNCILLOR.email} wurde zurückgezogen.`).waitFor();
    await adminPage.getByRole('cell', { name: COUNCILLOR.email, exact: true }).waitFor({ state: 'detached' }); // it leaves the pending list
    const ctx = await newContext();
    const page = await newPage(ctx);
    await page.goto(secondLink);
    await page.getByText('Einladung nicht gültig').waitFor();
    await art.screen(page, 'de-11-invite-invalid');
    await ctx.close();
  });

  runner.test('a second browser (320 px wide) accepts the invitation, enrols TOTP and lands in the tenant', async () => {
    staffCtx = await newContext({ viewport: { width: 320, height: 640 } });
    staffPage = await newPage(staffCtx);
    await staffPage.goto(state.acceptURL);
    await expectHeading(staffPage, 'Einladung zu Demo');
    await staffPage.getByText(STAFF.email).waitFor();
    await art.screen(staffPage, 'w320-01-invite-accept');
    await staffPage.getByLabel('Ihr Name').fill(STAFF.name);
    await staffPage.getByLabel('Passwort wählen').fill('zu-kurz');
    await staffPage.getByLabel('Neues Passwort wiederholen').fill('zu-kurz');
    await staffPage.getByRole('button', { name: 'Einladung annehmen' }).click();
    await staffPage.getByText('Das Passwort muss mindestens 12 Zeichen lang sein.').waitFor();
    await art.screen(staffPage, 'w320-02-invite-errors');
    await staffPage.getByLabel('Passwort wählen').fill(STAFF.password);
    await staffPage.getByLabel('Neues Passwort wiederholen').fill(STAFF.password);
    await staffPage.getByRole('button', { name: 'Einladung annehmen' }).click();
    await expectHeading(staffPage, 'Zwei-Faktor-Anmeldung einrichten');
    const secret = await staffPage.getByTestId('totp-secret').getAttribute('data-secret');
    state.staffAuth = new Authenticator(secret);
    await art.screen(staffPage, 'w320-03-enrol');
    await staffPage.getByLabel('Code aus der App').fill(await state.staffAuth.nextCode());
    await staffPage.getByRole('button', { name: 'Einrichtung bestätigen' }).click();
    await staffPage.getByRole('heading', { name: 'Ihre Wiederherstellungscodes' }).waitFor();
    await art.screen(staffPage, 'w320-04-recovery-codes');
    await staffPage.getByLabel('Ich habe die Codes sicher aufbewahrt.').check();
    await staffPage.getByRole('button', { name: 'Weiter' }).click();
    await expectHeading(staffPage, `Willkommen, ${STAFF.name}`);
    await texts(staffPage.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link'), ['Startseite', 'Dokumente', 'Gremien', 'Arbeitsräume', 'Adressverzeichnis', 'Meine Gäste', 'Profil'], 'staff navigation must not offer the admin console');
    await art.screen(staffPage, 'w320-05-start-staff');
    await expectNoSideways(staffPage, 'the start page');
    // The admin console is not reachable by URL either.
    await staffPage.goto('/t/demo/admin');
    await staffPage.getByText('Die Verwaltung ist der Administration des Mandanten vorbehalten.').waitFor();
  });

  const signOut = async (page) => {
    await page.getByRole('button', { name: /Benutzermenü/ }).click();
    await page.getByRole('button', { name: 'Abmelden' }).click();
    await expectHeading(page, 'Anmelden');
  };
  const signInPassword = async (page, email, password) => {
    await page.getByLabel('E-Mail-Adresse').fill(email);
    await page.getByLabel('Passwort').fill(password);
    await page.getByRole('button', { name: 'Anmelden' }).click();
  };

  runner.test('staff signs out and in with TOTP: a wrong code and a replayed code are refused visibly', async () => {
    await staffPage.goto('/t/demo');
    await expectHeading(staffPage, 'Willkommen');
    await signOut(staffPage);
    await staffPage.getByText('Sie sind abgemeldet.').waitFor();
    await signInPassword(staffPage, STAFF.email, STAFF.password);
    await expectHeading(staffPage, 'Anmeldung bestätigen');
    await art.screen(staffPage, 'w320-06-second-factor');
    const codeField = staffPage.getByLabel('Code aus der Authenticator-App');
    await codeField.fill(state.staffAuth.wrongCode());
    await staffPage.getByRole('button', { name: 'Bestätigen' }).click();
    await alertWith(staffPage, 'Code ungültig').waitFor();
    await art.screen(staffPage, 'w320-07-second-factor-wrong');
    const code = await state.staffAuth.nextCode();
    await codeField.fill(code);
    await staffPage.getByRole('button', { name: 'Bestätigen' }).click();
    await expectHeading(staffPage, 'Willkommen');
    // The same code again, in a new sign-in: refused (each time step works once).
    await signOut(staffPage);
    await signInPassword(staffPage, STAFF.email, STAFF.password);
    await expectHeading(staffPage, 'Anmeldung bestätigen');
    await staffPage.getByLabel('Code aus der Authenticator-App').fill(code);
    await staffPage.getByRole('button', { name: 'Bestätigen' }).click();
    const replay = alertWith(staffPage, 'Code ungültig');
    await replay.waitFor();
    expect((await replay.textContent()).includes('bereits verwendet'), 'the replay message must say the code was used');
    await art.shot(staffPage, 'w320-08-second-factor-replayed');
    await staffPage.getByLabel('Code aus der Authenticator-App').fill(await state.staffAuth.nextCode());
    await staffPage.getByRole('button', { name: 'Bestätigen' }).click();
    await expectHeading(staffPage, 'Willkommen');
  });

  runner.test('profile (320 px): sessions listed, API token created once and revoked, password changed', async () => {
    await navLink(staffPage, 'Profil').click();
    await expectHeading(staffPage, 'Profil');
    await staffPage.getByText('diese Sitzung').waitFor();
    await staffPage.getByLabel('Bezeichnung').fill('Export-Skript');
    expect((await staffPage.getByLabel('Gültigkeit').inputValue()) === '90', 'a token lives 90 days unless asked otherwise');
    await staffPage.getByRole('button', { name: 'Token erstellen' }).click();
    // Creating a token needs a fresh proof: the dialog asks for it, then creates the token.
    const reauth = staffPage.getByRole('dialog', { name: 'Identität bestätigen' });
    await reauth.waitFor();
    await eventually(() => staffPage.evaluate(() => document.activeElement?.id), (v) => v === 'reauth-password', 'the dialog must put the focus on the password');
    await reauth.getByLabel('Passwort', { exact: true }).fill(STAFF.password);
    await reauth.getByLabel('Code aus der Authenticator-App').fill(state.staffAuth.wrongCode());
    await reauth.getByRole('button', { name: 'Bestätigen' }).click();
    await reauth.getByText('Der Code ist falsch, abgelaufen oder wurde bereits verwendet.').waitFor();
    await eventually(() => staffPage.evaluate(() => document.activeElement?.id), (v) => v === 'reauth-code', 'focus must go to the code the server refused');
    await art.screen(staffPage, 'w320-09a-reauth-dialog');
    await reauth.getByLabel('Code aus der Authenticator-App').fill(await state.staffAuth.nextCode());
    await reauth.getByRole('button', { name: 'Bestätigen' }).click();
    const tokenField = staffPage.getByLabel('Token', { exact: true });
    await tokenField.waitFor();
    const token = await tokenField.inputValue();
    expect(token.startsWith('klt_'), `unexpected token ${token.slice(0, 8)}…`);
    const me = await fetch(`${base}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(me.ok, `the new token must work (${me.status})`);
    // Its scope is read (the default): it cannot write.
    const write = await fetch(`${base}/api/v1/t/demo/groups`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Lesetoken' }),
    });
    expect(write.status === 403, `a read token must not write (${write.status})`);
    await staffPage.getByRole('cell', { name: 'Lesen', exact: true }).waitFor();
    await art.screen(staffPage, 'w320-09-profile-token');
    await expectNoSideways(staffPage, 'the profile');
    await staffPage.getByRole('button', { name: /^Widerrufen\W+Export-Skript$/ }).click();
    const dialog = staffPage.getByRole('dialog', { name: 'Token widerrufen?' });
    await dialog.waitFor();
    await art.screen(staffPage, 'w320-10-token-revoke-dialog');
    await dialog.getByRole('button', { name: 'Widerrufen' }).click();
    await staffPage.getByText('Token „Export-Skript“ wurde widerrufen.').waitFor();
    const after = await fetch(`${base}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
    expect(after.status === 401, `a revoked token must stop working (${after.status})`);
    // Password: a wrong current password is reported at its field.
    await staffPage.getByLabel('Bisheriges Passwort').fill('nicht-das-richtige');
    await staffPage.getByLabel('Neues Passwort', { exact: true }).fill(STAFF.newPassword);
    await staffPage.getByLabel('Neues Passwort wiederholen').fill(STAFF.newPassword);
    await staffPage.getByRole('button', { name: 'Passwort ändern' }).click();
    await staffPage.getByText('Das bisherige Passwort ist nicht korrekt.').waitFor();
    await eventually(() => staffPage.evaluate(() => document.activeElement?.id), (v) => v === 'pw-current_password', 'focus must go to the field the server named');
    await staffPage.getByLabel('Bisheriges Passwort').fill(STAFF.password);
    await staffPage.getByRole('button', { name: 'Passwort ändern' }).click();
    await staffPage.getByText('Ihre anderen Sitzungen wurden beendet.').waitFor();
    await art.screen(staffPage, 'w320-11-profile-password-changed');
  });

  runner.test('admin profile: recovery codes renewed, sessions and tokens shown', async () => {
    await navLink(adminPage, 'Profil').click();
    await expectHeading(adminPage, 'Profil');
    await adminPage.getByText('diese Sitzung').waitFor();
    await art.screen(adminPage, 'de-12-profile');
    await adminPage.getByRole('button', { name: 'Neue Wiederherstellungscodes' }).click();
    const dialog = adminPage.getByRole('dialog', { name: 'Neue Wiederherstellungscodes erzeugen?' });
    await dialog.waitFor();
    await art.screen(adminPage, 'de-13-profile-new-codes-dialog');
    await dialog.getByRole('button', { name: 'Neue Codes erzeugen' }).click();
    // New codes need a fresh proof with password and code.
    const reauth = adminPage.getByRole('dialog', { name: 'Identität bestätigen' });
    await reauth.waitFor();
    await reauth.getByLabel('Passwort', { exact: true }).fill(admin.password);
    await reauth.getByLabel('Code aus der Authenticator-App').fill(await state.adminAuth.nextCode());
    await art.screen(adminPage, 'de-13a-reauth-dialog');
    await reauth.getByRole('button', { name: 'Bestätigen' }).click();
    await adminPage.getByRole('heading', { name: 'Ihre Wiederherstellungscodes' }).waitFor();
    const codes = await eventually(
      () => adminPage.locator('[data-testid=recovery-codes] code').allTextContents(),
      (c) => c.length === 10 && c[0] !== state.adminRecovery[0],
      'new codes must replace the old ones',
    );
    state.adminRecovery = codes;
    await adminPage.getByLabel('Ich habe die Codes sicher aufbewahrt.').check();
    await adminPage.getByRole('button', { name: 'Fertig' }).click();
    await adminPage.getByText('Die neuen Wiederherstellungscodes gelten ab sofort.').waitFor();
    await adminPage.getByText('Noch 10 Wiederherstellungscodes übrig.').waitFor();
    // An admin token, asked for explicitly (the proof still holds: no second dialog).
    await adminPage.getByLabel('Bezeichnung').fill('Verwaltungsskript');
    await adminPage.getByLabel('Bereich', { exact: true }).selectOption('admin');
    await adminPage.getByLabel('Gültigkeit').selectOption('30');
    await adminPage.getByRole('button', { name: 'Token erstellen' }).click();
    await adminPage.getByLabel('Token', { exact: true }).waitFor();
    await adminPage.getByRole('cell', { name: 'Administration', exact: true }).waitFor();
    // The admin console lists the tenant's tokens (never their secrets) and revokes them.
    await navLink(adminPage, 'Verwaltung').click();
    await tab(adminPage, 'API-Tokens').click();
    await expectHeading(adminPage, 'API-Tokens der Mitglieder');
    const row = adminPage.getByTestId('tenant-token').filter({ hasText: 'Verwaltungsskript' });
    await row.waitFor();
    await row.getByText(admin.email, { exact: true }).waitFor(); // the row names the owner
    await art.screen(adminPage, 'de-14-admin-tokens');
    await row.getByRole('button', { name: /^Widerrufen/ }).click();
    const revoke = adminPage.getByRole('dialog', { name: 'Token widerrufen?' });
    await revoke.getByRole('button', { name: 'Widerrufen' }).click();
    await adminPage.getByText(`Token „Verwaltungsskript“ von ${admin.email} wurde widerrufen.`).waitFor();
    await row.waitFor({ state: 'detached' });
  });

  runner.test('admin changes the member’s role and resets their 2FA', async () => {
    await navLink(adminPage, 'Verwaltung').click();
    await expectHeading(adminPage, 'Mitglieder');
    await adminPage.getByLabel('Suche (Name oder E-Mail)').fill('sabine');
    // The unfiltered list already shows the member: wait for the filtered answer.
    const filtered = adminPage.waitForResponse((r) => r.url().includes('/members?') && r.url().includes('q=sabine'));
    await adminPage.getByRole('button', { name: 'Filtern' }).click();
    await filtered;
    const row = adminPage.locator(`tr[data-email="${STAFF.email}"]`);
    await row.waitFor();
    await eventually(() => adminPage.locator('tbody tr').count(), (n) => n === 1, 'the search must narrow the list to one member');
    await row.getByRole('button', { name: /Bearbeiten/ }).click();
    const dialog = adminPage.getByRole('dialog', { name: `${STAFF.name} bearbeiten` });
    await dialog.waitFor();
    await art.screen(adminPage, 'de-14-admin-member-dialog');
    await dialog.getByLabel('Rolle').selectOption('committee');
    await dialog.getByRole('button', { name: 'Rolle ändern' }).click();
    await dialog.getByText(`${STAFF.name} hat jetzt die Rolle Gremienmitglied.`).waitFor();
    await dialog.getByRole('button', { name: 'Zwei-Faktor-Anmeldung zurücksetzen' }).click();
    await dialog.getByRole('button', { name: 'Ja, zurücksetzen' }).click();
    await dialog.getByText(`Die Zwei-Faktor-Anmeldung von ${STAFF.name} wurde zurückgesetzt.`).waitFor();
    await art.screen(adminPage, 'de-15-admin-member-reset');
    await dialog.getByRole('button', { name: 'Schließen' }).click();
    await row.getByText('Gremienmitglied').waitFor();
    await row.getByText('nicht eingerichtet').waitFor();
    // Filters: by role.
    await adminPage.getByLabel('Suche (Name oder E-Mail)').fill('');
    await adminPage.getByLabel('Rolle').selectOption('admin');
    await adminPage.getByRole('button', { name: 'Filtern' }).click();
    await adminPage.locator(`tr[data-email="${admin.email}"]`).waitFor();
    await eventually(() => adminPage.locator(`tr[data-email="${STAFF.email}"]`).count(), (n) => n === 0, 'role filter must hide the committee member');
  });

  runner.test('the member’s ended session shows "session expired" and they sign in again', async () => {
    // The reset ended every session of the member: the next action finds out.
    await navLink(staffPage, 'Startseite').click();
    await staffPage.reload();
    await expectHeading(staffPage, 'Anmelden');
    await staffPage.goto('/t/demo');
    await expectHeading(staffPage, 'Anmelden');
    await signInPassword(staffPage, STAFF.email, STAFF.newPassword);
    await expectHeading(staffPage, `Willkommen, ${STAFF.name}`);
    await staffPage.getByText('Ihre Rolle: Gremienmitglied').waitFor();
    // Session loss while using the app (cookie gone = server forgot the session).
    await staffCtx.clearCookies();
    await navLink(staffPage, 'Profil').click();
    await staffPage.getByText('Sitzung abgelaufen').waitFor();
    await expectHeading(staffPage, 'Anmelden');
    await art.screen(staffPage, 'w320-12-session-expired');
  });

  runner.test('audit log shows every step, each entry verified; filters and chain check work', async () => {
    await tab(adminPage, 'Protokoll').click();
    await expectHeading(adminPage, 'Protokoll');
    await adminPage.locator('tbody tr').first().waitFor();
    await art.screen(adminPage, 'de-16-admin-audit');
    const actions = new Set();
    for (let n = 1; ; n++) {
      for (const a of await adminPage.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')))) actions.add(a);
      const verified = await adminPage.locator('tbody tr').evaluateAll((rows) => rows.every((r) => r.textContent.includes('geprüft')));
      expect(verified, 'every audit entry must show a verified chain link');
      const next = adminPage.getByRole('button', { name: 'Nächste Seite' });
      if ((await next.count()) === 0 || (await next.isDisabled())) break;
      await next.click();
      await adminPage.getByRole('status').filter({ hasText: `Seite ${n + 1}` }).waitFor();
      await adminPage.locator('tbody tr').first().waitFor();
    }
    const wanted = [
      'auth.login.failed',
      'auth.login.succeeded',
      'auth.totp.enabled',
      'auth.second_factor.failed',
      'auth.recovery_codes.regenerated',
      'auth.api_token.created',
      'auth.api_token.revoked',
      'auth.password.changed',
      'tenant.policy.changed',
      'tenant.member.invited',
      'tenant.invitation.resent',
      'tenant.invitation.revoked',
      'tenant.invitation.accepted',
      'tenant.member.role_changed',
      'auth.totp.reset',
    ];
    const missing = wanted.filter((w) => !actions.has(w));
    expect(missing.length === 0, `audit log lacks: ${missing.join(', ')} (has: ${[...actions].join(', ')})`);
    // Filter by action and by actor.
    await adminPage.getByLabel('Ereignis').selectOption('tenant.member.role_changed');
    await adminPage.getByRole('button', { name: 'Filtern' }).click();
    await eventually(
      () => adminPage.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action'))),
      (actions) => actions.length === 1 && actions[0] === 'tenant.member.role_changed',
      'exactly one role change',
    );
    // Readable: the German label, the member by name with a link, technical fields folded away.
    const row = adminPage.locator('tbody tr').first();
    await row.getByText('Rolle geändert', { exact: true }).waitFor();
    const member = await row.getByRole('link', { name: STAFF.name }).getAttribute('href');
    expect(member === `/t/demo/admin/members?q=${encodeURIComponent(STAFF.email)}`, `the member links to the members page: ${member}`);
    expect(!(await row.locator('details').evaluate((d) => d.open)), 'technical details start folded');
    await row.getByText('Technische Angaben').click();
    await row.locator('details dd').filter({ hasText: 'tenant.member.role_changed' }).waitFor();
    await art.screen(adminPage, 'de-17-admin-audit-filtered');
    await adminPage.getByLabel('Ereignis').selectOption('');
    await adminPage.getByLabel('Ausgeführt von').selectOption({ label: `${STAFF.name} (${STAFF.email})` });
    await adminPage.getByRole('button', { name: 'Filtern' }).click();
    await adminPage.waitForFunction((email) => {
      const rows = [...document.querySelectorAll('tbody tr')];
      return rows.length > 0 && rows.every((r) => r.children[1]?.textContent?.includes(email));
    }, STAFF.email);
    // Dates: today only still shows entries; a range in the past shows none.
    await adminPage.getByLabel('Ausgeführt von').selectOption('');
    await adminPage.getByLabel('Von (Datum)').fill('2020-01-01');
    await adminPage.getByLabel('Bis (Datum)').fill('2020-01-31');
    await adminPage.getByRole('button', { name: 'Filtern' }).click();
    await adminPage.getByText('Keine Einträge für diese Filter.').waitFor();
    await adminPage.getByLabel('Bis (Datum)').fill('2019-12-31');
    await adminPage.getByRole('button', { name: 'Filtern' }).click();
    await adminPage.getByText('Das Bis-Datum liegt vor dem Von-Datum.').waitFor();
    await adminPage.getByRole('button', { name: 'Gesamte Kette prüfen' }).click();
    await adminPage.getByText('Protokollkette unversehrt').waitFor();
    await art.screen(adminPage, 'de-18-admin-audit-verify');
  });

  runner.test('a second tenant: the invitation joins the signed-in account, and the header switches tenants', async () => {
    server.cli(['tenant', 'create', '--slug', 'nord', '--name', 'Ordnungsamt Nord']);
    server.cli(['user', 'create', '--email', CHIEF.email, '--name', CHIEF.name, '--password', CHIEF.password, '--tenant', 'nord', '--role', 'admin']);
    const ctx = await newContext();
    const page = await newPage(ctx);
    await page.goto('/');
    await signInPassword(page, CHIEF.email, CHIEF.password);
    await expectHeading(page, 'Zwei-Faktor-Anmeldung einrichten');
    const auth = new Authenticator(await page.getByTestId('totp-secret').getAttribute('data-secret'));
    await page.getByLabel('Code aus der App').fill(await auth.nextCode());
    await page.getByRole('button', { name: 'Einrichtung bestätigen' }).click();
    await page.getByLabel('Ich habe die Codes sicher aufbewahrt.').check();
    await page.getByRole('button', { name: 'Weiter' }).click();
    await expectHeading(page, `Willkommen, ${CHIEF.name}`);
    await navLink(page, 'Verwaltung').click();
    await tab(page, 'Einladungen').click();
    await page.getByLabel('E-Mail-Adresse').fill(admin.email);
    await page.getByLabel('Rolle').selectOption('staff');
    await page.getByRole('button', { name: 'Einladung senden' }).click();
    const link = await eventually(() => page.getByLabel('Einladungslink').inputValue(), (v) => v.includes('#token='), 'the invitation link is shown');
    await ctx.close();

    await adminPage.goto(link);
    await expectHeading(adminPage, 'Einladung zu Ordnungsamt Nord');
    await adminPage.getByText(`Sie sind als ${admin.email} angemeldet.`).waitFor();
    await art.screen(adminPage, 'de-20-invite-signed-in');
    await adminPage.getByRole('button', { name: 'Mit meinem Konto beitreten' }).click();
    await expectHeading(adminPage, 'Willkommen');
    expect(new URL(adminPage.url()).pathname === '/t/nord', `expected /t/nord, got ${adminPage.url()}`);
    await adminPage.getByText('Ordnungsamt Nord · Ihre Rolle: Mitarbeitende').waitFor();
    await texts(adminPage.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link'), ['Startseite', 'Dokumente', 'Gremien', 'Arbeitsräume', 'Adressverzeichnis', 'Meine Gäste', 'Profil'], 'staff in nord sees no admin console');
    await adminPage.getByRole('button', { name: /Mandant wechseln/ }).click();
    const list = adminPage.getByRole('list', { name: 'Ihre Mandanten' });
    await list.waitFor();
    await art.screen(adminPage, 'de-21-tenant-switcher');
    await list.getByRole('link', { name: 'Demo-Behörde' }).click();
    await expectHeading(adminPage, 'Willkommen');
    expect(new URL(adminPage.url()).pathname === '/t/demo', `expected /t/demo, got ${adminPage.url()}`);
    await navLink(adminPage, 'Verwaltung').waitFor();
  });

  runner.test('unknown pages and no layout shift while loading', async () => {
    await adminPage.goto('/gibt-es-nicht');
    await expectHeading(adminPage, 'Seite nicht gefunden');
    await art.screen(adminPage, 'de-19-not-found');
    // Cumulative layout shift of a fresh load of the start page.
    const page = await newPage(adminCtx);
    await page.addInitScript(() => {
      window.__cls = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
      }).observe({ type: 'layout-shift', buffered: true });
    });
    await page.goto('/t/demo');
    await expectHeading(page, 'Willkommen');
    await page.waitForTimeout(500);
    const cls = await page.evaluate(() => window.__cls);
    state.cls = cls;
    expect(cls < 0.1, `cumulative layout shift ${cls.toFixed(3)} ≥ 0.1`);
    await page.close();
  });

  runner.test('sign-in with a recovery code, English sign-in page', async () => {
    const ctx = await newContext({ locale: 'en-GB' });
    const page = await newPage(ctx);
    await page.goto('/login');
    await expectHeading(page, 'Anmelden'); // German is the default, whatever the browser says
    await page.getByRole('button', { name: /English/ }).click();
    await expectHeading(page, 'Sign in');
    await art.screen(page, 'en-04-login');
    await page.getByLabel('E-mail address').fill(admin.email);
    await page.getByLabel('Password').fill('wrong-password-xyz');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await alertWith(page, 'Sign-in failed').waitFor();
    await page.getByLabel('Password').fill(admin.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectHeading(page, 'Confirm sign-in');
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Recovery code').fill(state.adminRecovery[0]);
    await art.screen(page, 'en-05-recovery-sign-in');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expectHeading(page, 'Welcome');
    // English chosen on the sign-in page is now the account's language; back to German,
    // so that the admin's other browser stays German at its next page load.
    await page.getByRole('button', { name: /Deutsch/ }).click();
    await expectHeading(page, 'Willkommen');
    const locale = await page.evaluate(async () => {
      for (let i = 0; i < 50; i++) {
        const me = await (await fetch('/api/v1/me')).json();
        if (me.locale === 'de') return me.locale;
        await new Promise((r) => setTimeout(r, 100));
      }
      return 'not saved';
    });
    expect(locale === 'de', `the language switch saves the account language: ${locale}`);
    await ctx.close();
  });

  // KOLLAB_E2E_ONLY=addressbook (while working on one part) runs only that part after the sign-in steps.
  const only = process.env.KOLLAB_E2E_ONLY;
  if (!only || only === 'documents') registerDocuments(runner, env, { page: () => adminPage, sideways: expectNoSideways });
  if (!only || only === 'committees') registerCommittees(runner, env, { page: () => adminPage, sideways: expectNoSideways });
  if (!only || only === 'addressbook') registerAddressBook(runner, env, { page: () => adminPage, sideways: expectNoSideways });
  if (!only || only === 'admin') registerAdmin(runner, env, { page: () => adminPage, sideways: expectNoSideways });
  if (!only || only === 'workspaces') registerWorkspaces(runner, env, { page: () => adminPage, sideways: expectNoSideways });
  if (!only || only === 'guests') registerGuests(runner, env, { page: () => adminPage, sideways: expectNoSideways });
  if (!only || only === 'consultations') registerConsultations(runner, env, { page: () => adminPage, sideways: expectNoSideways });
  if (!only || only === 'notifications') registerNotifications(runner, env, { sideways: expectNoSideways });

  env.cleanup = async () => {
    await env.committeesCleanup?.();
    await env.notificationsCleanup?.();
    for (const c of [adminCtx, staffCtx]) await c?.close().catch(() => undefined);
  };
  env.state = state;
}
