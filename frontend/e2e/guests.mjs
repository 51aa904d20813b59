// Guests (Gäste) in the browser: the admin invites a guest from a workspace page (kollab
// serve runs without a mail server: the page offers the link instead of claiming a mail),
// the pending invitation is listed; the guest (own browser, 320 px) accepts, must enrol
// TOTP, and finds only Start, Arbeitsräume, Benachrichtigungen and the profile, with a
// word on the start page and the workspace; the admin reviews access from the console
// ("Zugangsprüfung"), renews by 180 days in one click and ends the access after a
// confirmation that says what happens. Axe on every screen.
import { expect, texts } from './lib/harness.mjs';
import { acceptAsGuest } from './lib/guest.mjs';

const WS = 'Hochwasserschutz Südufer';
const GUEST = { email: 'gerda.gast@ingenieurbuero.example', name: 'Gerda Gast', password: 'Suedufer-Deich-2026' };

/**
 * @param runner the test runner
 * @param env the e2e environment (server, browser, art, …)
 * @param ctx { page: () => the signed-in admin's page, sideways: (page, what) => check }
 */
export function registerGuests(runner, env, ctx) {
  const { art, server, browser } = env;
  const state = {};
  const admin = () => ctx.page();
  const expectHeading = async (p, text) => p.locator('h1', { hasText: text }).first().waitFor({ timeout: 15_000 });
  const status = (p, text) => p.getByText(text).first().waitFor({ timeout: 15_000 });
  const api = (p, method, path, body) =>
    p.evaluate(
      async ([m, u, b]) => {
        const token = (await (await fetch('/api/v1/auth/csrf')).json()).csrf_token;
        const headers = { 'X-CSRF-Token': token, Accept: 'application/json' };
        if (b !== undefined) headers['Content-Type'] = 'application/json';
        const r = await fetch(u, { method: m, headers, body: b === undefined ? undefined : JSON.stringify(b) });
        const text = await r.text();
        if (!r.ok) throw new Error(`${m} ${u}: ${r.status} ${text}`);
        return text ? JSON.parse(text) : null;
      },
      [method, path, body],
    );

  runner.test('guests: the admin invites a guest from the workspace page; without a mail server the link is offered; the invitation is pending', async () => {
    const p = admin();
    await p.setViewportSize({ width: 1280, height: 800 });
    const ws = await api(p, 'POST', '/api/v1/t/demo/workspaces', { name: WS, purpose: 'Deichsanierung mit dem Ingenieurbüro.', visibility: 'closed' });
    state.wsId = ws.id;
    await p.goto(`/t/demo/workspaces/${ws.id}`);
    await expectHeading(p, WS);
    await p.getByRole('button', { name: 'Gast einladen' }).click();
    const dialog = p.getByRole('dialog', { name: `Gast in „${WS}“ einladen` });
    await dialog.getByLabel('E-Mail-Adresse').fill(GUEST.email);
    await dialog.getByLabel('Rolle').selectOption('reader');
    // The default last day is today + 180 days; more than two years is refused before sending.
    const until = dialog.getByLabel('Zugang bis');
    const initial = await until.inputValue();
    expect(/^\d{4}-\d{2}-\d{2}$/.test(initial), `a default last day: ${initial}`);
    const max = await until.getAttribute('max');
    await until.fill(`${Number(max.slice(0, 4)) + 1}${max.slice(4)}`);
    await dialog.getByRole('button', { name: 'Einladen' }).click();
    await dialog.getByText('Der Zugang kann höchstens zwei Jahre ab heute gelten.').waitFor();
    await until.fill(initial);
    await art.screen(p, 'de-130-guest-invite');
    await dialog.getByRole('button', { name: 'Einladen' }).click();
    await status(p, `Einladung für ${GUEST.email} angelegt – E-Mail-Versand ist nicht eingerichtet, bitte Link weitergeben.`);
    state.link = await p.getByLabel('Einladungslink').inputValue();
    expect(state.link.includes('/invite/demo#token='), `an invitation link: ${state.link}`);
    const pending = p.getByRole('region', { name: 'Offene Einladungen an Gäste' });
    await pending.getByRole('cell', { name: GUEST.email, exact: true }).waitFor();
    await pending.getByRole('button', { name: new RegExp(`^Zurückziehen\\W+${GUEST.email.replace(/\./g, '\\.')}$`) }).waitFor();
    await art.screen(p, 'de-131-guest-invited');
  });

  runner.test('guests: the guest (320 px) accepts, enrols TOTP, and sees only Start, Arbeitsräume, Benachrichtigungen and the profile', async () => {
    const c = await browser.newContext({ baseURL: server.baseURL, locale: 'de-DE', viewport: { width: 320, height: 720 } });
    state.guestCtx = c;
    const g = await c.newPage();
    env.watch(g);
    await acceptAsGuest(g, state.link, GUEST);
    await texts(g.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link'), ['Startseite', 'Arbeitsräume', 'Benachrichtigungen', 'Profil'], 'the guest navigation');
    await g.getByText(/^Sie sind als Gast eingeladen\./).waitFor();
    await g.getByRole('region', { name: 'Meine Arbeitsräume' }).getByRole('link', { name: WS }).waitFor();
    await ctx.sideways(g, 'the guest start page');
    await art.screen(g, 'w320-130-guest-start');
    await g.getByRole('region', { name: 'Meine Arbeitsräume' }).getByRole('link', { name: WS }).click();
    await expectHeading(g, WS);
    // Members are named from the member list (guests may not use the directory).
    await g.locator(`tr[data-member^="${GUEST.name}"]`).first().getByText('Gast', { exact: true }).waitFor();
    expect(await g.getByRole('button', { name: 'Gast einladen' }).isDisabled(), 'a guest cannot invite');
    await ctx.sideways(g, 'the workspace page of a guest');
    await art.screen(g, 'w320-131-guest-workspace');
    await g.goto('/t/demo/workspaces');
    await expectHeading(g, 'Arbeitsräume');
    await g.getByTestId('ws-guest-lead').waitFor();
    expect((await g.getByRole('button', { name: 'Neuer Arbeitsraum' }).count()) === 0, 'a guest creates no workspaces');
    await art.screen(g, 'w320-132-guest-workspaces');
  });

  runner.test('guests: the admin reviews access from the console, renews by 180 days in one click and ends the access after a confirmation', async () => {
    const p = admin();
    await p.goto('/t/demo/admin');
    await p.getByRole('link', { name: 'Zugangsprüfung (Gäste)' }).click();
    await expectHeading(p, 'Zugangsprüfung');
    const row = p.locator(`tr[data-guest="${GUEST.email}"]`);
    await row.getByRole('link', { name: GUEST.name }).waitFor();
    await row.getByText(WS).waitFor();
    await art.screen(p, 'de-132-guests-review');
    await row.getByRole('button', { name: new RegExp(`^Um 180 Tage verlängern\\W+${GUEST.name}$`) }).click();
    await status(p, new RegExp(`^Der Zugang von ${GUEST.name} gilt jetzt bis `));
    await row.getByRole('link', { name: GUEST.name }).click();
    await expectHeading(p, GUEST.name);
    await p.getByRole('button', { name: new RegExp(`^Zugang beenden\\W+${GUEST.name}$`) }).click();
    const dialog = p.getByRole('dialog', { name: `Zugang von ${GUEST.name} beenden?` });
    await dialog.getByText(/Alle Sitzungen von .* enden sofort/).waitFor();
    await art.screen(p, 'de-133-guest-offboard');
    await dialog.getByRole('button', { name: 'Zugang beenden' }).click();
    await status(p, `Der Zugang von ${GUEST.name} wurde beendet.`);
    await p.getByText('Beendet', { exact: true }).first().waitFor();
    await p.getByText('in keinem Arbeitsraum').waitFor();
    // The guest's session ended with the access.
    const g = state.guestCtx.pages()[0];
    await g.goto('/t/demo');
    await g.getByRole('heading', { level: 1, name: 'Anmelden' }).waitFor({ timeout: 15_000 });
    await state.guestCtx.close();
  });
}
