// Notifications in the browser (after the committees part, whose committee, chair and
// members it reuses): the chair opens written procedures through the API; a member's
// bell counts up live without a reload and announces it politely; the list shows the
// newest first with unread ones marked in words, pages with "Weitere laden", follows a
// notification to its poll (which marks it read) and marks all read; at 320 px the list
// does not scroll sideways. In the profile the member sets a kind to "never" and saves.
// Axe on every new screen and state.
import { eventually, expect } from './lib/harness.mjs';

const COMMITTEE = 'Bauausschuss';
const CHAIR = { email: 'clara.vorsitz@kollab.localhost', name: 'Clara Vorsitz', password: 'Ratssaal-Eiche-2026' };
const MEMBER = { email: 'berta.birke@kollab.localhost', name: 'Berta Birke', password: 'Gartenweg-Birke-2026' };
const LIVE = 'Umlauf: Zuschuss für den Sportverein';
const BULK = 22; // more than one page of 20

/**
 * @param runner the test runner
 * @param env the e2e environment (server, browser, art, …)
 * @param ctx { sideways: (page, what) => check }
 */
export function registerNotifications(runner, env, ctx) {
  const { art, server, browser } = env;
  const contexts = [];
  const state = {};
  const expectHeading = async (p, text) => p.locator('h1', { hasText: text }).first().waitFor({ timeout: 15_000 });
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
  const signIn = async (user, viewport = { width: 1280, height: 800 }) => {
    const c = await browser.newContext({ baseURL: server.baseURL, locale: 'de-DE', viewport });
    contexts.push(c);
    const p = await c.newPage();
    env.watch(p);
    await p.goto('/');
    await p.getByLabel('E-Mail-Adresse').fill(user.email);
    await p.getByLabel('Passwort').fill(user.password);
    await p.getByRole('button', { name: 'Anmelden' }).click();
    await expectHeading(p, `Willkommen, ${user.name}`);
    return p;
  };
  // A written procedure of the committee, opened at once: its voters get a notification.
  const openProcedure = async (p, title) => {
    const deadline = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();
    const poll = await api(p, 'POST', '/api/v1/t/demo/polls', { committee_id: state.committeeId, deadline, title, kind: 'named', method: 'yes_no_abstain' });
    await api(p, 'POST', `/api/v1/t/demo/polls/${poll.id}/open`);
    return poll.id;
  };
  const bell = (p) => p.getByTestId('bell');
  const bellCount = (p) => bell(p).getAttribute('data-unread');
  const unreadOf = async (p) => (await api(p, 'GET', '/api/v1/t/demo/notifications?limit=1')).unread;

  runner.test('notifications: the bell counts up live when the chair opens a poll, and says so politely', async () => {
    const c = await signIn(CHAIR);
    state.chair = c;
    const committees = await api(c, 'GET', '/api/v1/t/demo/committees');
    state.committeeId = committees.committees.find((x) => x.name === COMMITTEE)?.id;
    expect(state.committeeId, 'the committee of the committees part exists');
    for (let i = 1; i <= BULK; i++) await openProcedure(c, `Umlauf Nr. ${i}: Beschaffung`);

    const m = await signIn(MEMBER);
    state.member = m;
    // Wait for the count the server has once every notification is delivered.
    let seen = -1;
    const before = await eventually(
      async () => {
        const n = await unreadOf(m);
        const settled = n === seen;
        seen = n;
        if (!settled) await new Promise((r) => setTimeout(r, 500));
        return settled ? n : -1;
      },
      (n) => n >= BULK,
      'the bulk notifications arrive and the count settles',
      20_000,
    );
    await eventually(() => bellCount(m), (v) => v === String(before), 'the bell shows the unread count', 15_000);
    await bell(m).and(m.getByRole('link', { name: `Benachrichtigungen, ${before} ungelesen`, exact: true })).waitFor();
    await m.evaluate(() => (window.__kollabNoReload = true));

    state.liveId = await openProcedure(c, LIVE);
    const after = String(before + 1);
    await eventually(() => bellCount(m), (v) => v === after, 'the bell counts up live', 15_000);
    expect(await m.evaluate(() => window.__kollabNoReload === true), 'the count must arrive without reloading the page');
    await m.getByRole('link', { name: `Benachrichtigungen, ${after} ungelesen`, exact: true }).waitFor();
    await m.getByTestId('bell-announcement').getByText(`Neue Benachrichtigungen: ${after} ungelesen`).waitFor({ timeout: 10_000 });
    await art.screen(m, 'de-n1-bell-unread');
  });

  runner.test('notifications: the list (newest first, unread in words), more with "Weitere laden", a link to its poll, all read; 320 px without sideways scrolling', async () => {
    const m = state.member;
    await bell(m).click();
    await expectHeading(m, 'Benachrichtigungen');
    const items = m.locator('ul.app-notifications > li');
    await eventually(() => items.count(), (n) => n === 20, 'the first page lists 20 notifications');
    const first = items.first();
    expect((await first.getAttribute('data-notification')) === `Abstimmung geöffnet: ${LIVE}`, 'the newest comes first');
    expect((await first.getAttribute('data-read')) === 'false', 'the newest is unread');
    await first.getByText('Ungelesen', { exact: true }).waitFor();
    await art.screen(m, 'de-n2-notifications');

    await m.getByRole('button', { name: 'Weitere laden' }).click();
    await eventually(() => items.count(), (n) => n > 20, 'the next page is appended');
    const focused = await m.evaluate(() => document.activeElement?.closest('li')?.getAttribute('data-notification') ?? '');
    expect(focused === (await items.nth(20).getAttribute('data-notification')), `the first new notification takes focus: ${focused}`);
    await art.screen(m, 'de-n3-notifications-more');

    // One marked read by its button.
    const second = items.nth(1);
    const secondTitle = await second.getAttribute('data-notification');
    const unread = Number(await bellCount(m));
    await second.getByRole('button', { name: /^Als gelesen markieren/ }).click();
    await m.getByText('Die Benachrichtigung ist als gelesen markiert.').waitFor();
    await m.locator(`ul.app-notifications > li[data-read="true"]`).filter({ has: m.getByText(secondTitle, { exact: true }) }).first().waitFor();
    await eventually(() => bellCount(m), (v) => v === String(unread - 1), 'the bell counts down');

    // Following the newest leads to its poll and marks it read.
    await first.getByRole('link', { name: `Abstimmung geöffnet: ${LIVE}` }).click();
    await expectHeading(m, LIVE);
    expect(m.url().endsWith(`/t/demo/polls/${state.liveId}`), `the link leads to the poll: ${m.url()}`);
    await eventually(() => bellCount(m), (v) => v === String(unread - 2), 'following marks it read');

    await bell(m).click();
    await expectHeading(m, 'Benachrichtigungen');
    await m.locator('ul.app-notifications > li').first().and(m.locator('[data-read="true"]')).waitFor();
    await m.getByRole('button', { name: 'Alle als gelesen markieren' }).click();
    await m.getByText('Alle Benachrichtigungen sind als gelesen markiert.').waitFor();
    await eventually(() => bellCount(m), (v) => v === '0', 'the bell shows nothing unread');
    await m.getByRole('link', { name: 'Benachrichtigungen', exact: true }).waitFor();
    expect((await m.locator('ul.app-notifications > li[data-read="false"]').count()) === 0, 'every notification is read');
    expect((await unreadOf(m)) === 0, 'the server agrees: nothing unread');
    await art.screen(m, 'de-n4-notifications-all-read');

    // 320 px: a member's own browser on a phone.
    const w = await browser.newContext({ baseURL: server.baseURL, locale: 'de-DE', viewport: { width: 320, height: 720 } });
    contexts.push(w);
    const p = await w.newPage();
    env.watch(p);
    await p.goto('/');
    await p.getByLabel('E-Mail-Adresse').fill(MEMBER.email);
    await p.getByLabel('Passwort').fill(MEMBER.password);
    await p.getByRole('button', { name: 'Anmelden' }).click();
    await expectHeading(p, `Willkommen, ${MEMBER.name}`);
    await openProcedure(state.chair, 'Umlauf: Pflege der Grünflächen am Rathausplatz und an der Stadthalle');
    await eventually(() => bellCount(p), (v) => v === '1', 'the phone’s bell counts up live', 15_000);
    await bell(p).click();
    await expectHeading(p, 'Benachrichtigungen');
    await p.locator('ul.app-notifications > li[data-read="false"]').first().waitFor();
    await art.screen(p, 'w320-n1-notifications');
    await ctx.sideways(p, 'the notifications list');
  });

  runner.test('notifications: the member sets a kind to “never” in the profile and saves with a clear message', async () => {
    const m = state.member;
    await m.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Profil', exact: true }).click();
    await expectHeading(m, 'Profil');
    const group = m.getByRole('group', { name: 'Abstimmung für mich geöffnet' });
    await group.getByRole('radio', { name: 'Sofort per E-Mail (Voreinstellung)' }).waitFor();
    expect(await group.getByRole('radio', { name: 'Sofort per E-Mail (Voreinstellung)' }).isChecked(), 'the default is checked');
    await group.getByRole('radio', { name: 'Nie per E-Mail' }).check();
    await m.getByRole('button', { name: 'Einstellungen speichern' }).click();
    await m.getByRole('status').filter({ hasText: 'Ihre Benachrichtigungseinstellungen wurden gespeichert.' }).waitFor();
    const prefs = await api(m, 'GET', '/api/v1/t/demo/notification-preferences');
    expect(prefs.preferences.find((x) => x.kind === 'poll.opened')?.mode === 'never', `saved: ${JSON.stringify(prefs.preferences)}`);
    await m.getByRole('heading', { name: 'Benachrichtigungen', level: 2 }).scrollIntoViewIfNeeded();
    await art.screen(m, 'de-n5-profile-notifications');

    // English, one click away: the kinds are labelled in English too; then back to German.
    await m.getByRole('button', { name: /English/ }).click();
    await m.getByRole('group', { name: 'A poll is open for me' }).getByRole('radio', { name: 'No mail' }).waitFor();
    expect(await m.getByRole('group', { name: 'A poll is open for me' }).getByRole('radio', { name: 'No mail' }).isChecked(), 'the saved choice shows');
    await art.screen(m, 'en-n1-profile-notifications');
    await m.getByRole('button', { name: /Deutsch/ }).click();
    await m.getByRole('group', { name: 'Abstimmung für mich geöffnet' }).waitFor();
    const locale = await eventually(async () => (await api(m, 'GET', '/api/v1/me')).locale, (l) => l === 'de', 'the account language is German again');
    expect(locale === 'de', 'German again');
  });

  env.notificationsCleanup = async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
  };
}
