import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import i18n from '../i18n';
import { getUnread, resetBell, setUnread } from './bell';
import NotificationsPage from './NotificationsPage';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const note = (i: number, read = false) => ({
  id: `00000000-0000-4000-8000-${String(100 - i).padStart(12, '0')}`,
  kind: 'poll.opened',
  object_type: 'poll',
  object_id: `p${i}`,
  title: `Abstimmung geöffnet: Punkt ${i}`,
  text: '',
  link: `polls/p${i}`,
  created_at: '2026-12-07T10:00:00Z',
  read_at: read ? '2026-12-07T11:00:00Z' : undefined,
});

let calls: string[];

beforeEach(async () => {
  resetBell();
  resetCsrfToken();
  calls = [];
  await i18n.changeLanguage('de');
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init);
      const url = new URL(req.url);
      calls.push(`${req.method} ${url.pathname}${url.search}`);
      if (url.pathname === '/api/v1/auth/csrf') return json(200, { csrf_token: 't', header: 'X-CSRF-Token' });
      if (url.pathname === '/api/v1/t/amt/notifications') {
        if (url.searchParams.get('cursor')) return json(200, { items: [note(3, true)], unread: 2 });
        return json(200, { items: [note(1), note(2)], next_cursor: note(2).id, unread: 2 });
      }
      if (url.pathname.endsWith('/read') && req.method === 'POST') return json(200, { unread: 1 });
      if (url.pathname === '/api/v1/t/amt/notifications/read-all') return json(200, { marked: 1, unread: 0 });
      return json(404, { status: 404, title: 'not found', code: 'not-found' });
    }),
  );
});
afterEach(() => vi.unstubAllGlobals());

function renderPage() {
  render(
    <MemoryRouter initialEntries={['/t/amt/notifications']}>
      <Routes>
        <Route path="/t/:slug/notifications" element={<NotificationsPage />} />
        <Route path="/t/:slug/polls/:id" element={<p>Abstimmungsseite</p>} />
      </Routes>
    </MemoryRouter>,
  );
}

describe('the notifications page', () => {
  it('lists newest first, marks unread in words, links each to its object', async () => {
    renderPage();
    const list = await screen.findByRole('list', { name: 'Benachrichtigungen, neueste zuerst' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((li) => li.getAttribute('data-notification'))).toEqual(['Abstimmung geöffnet: Punkt 1', 'Abstimmung geöffnet: Punkt 2']);
    expect(within(items[0]).getByText('Ungelesen')).toBeTruthy();
    expect(within(items[0]).getByRole('link', { name: 'Abstimmung geöffnet: Punkt 1' }).getAttribute('href')).toBe('/t/amt/polls/p1');
    expect(screen.getByText('2 ungelesene Benachrichtigungen')).toBeTruthy();
    expect(getUnread('amt')).toBe(2);
  });

  it('marks one read, then all; the bell count follows', async () => {
    renderPage();
    await screen.findByRole('list');
    await userEvent.click(screen.getByRole('button', { name: /^Als gelesen markieren\W+Abstimmung geöffnet: Punkt 1$/ }));
    await screen.findByText('Die Benachrichtigung ist als gelesen markiert.');
    expect(getUnread('amt')).toBe(1);
    const first = screen.getAllByRole('listitem')[0];
    expect(first.getAttribute('data-read')).toBe('true');
    expect(within(first).queryByText('Ungelesen')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Alle als gelesen markieren' }));
    await screen.findByText('Alle Benachrichtigungen sind als gelesen markiert.');
    expect(getUnread('amt')).toBe(0);
    expect(screen.getAllByRole('listitem').every((li) => li.getAttribute('data-read') === 'true')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Alle als gelesen markieren' })).toBeNull();
  });

  it('loads more with the cursor and focuses the first new one', async () => {
    renderPage();
    await screen.findByRole('list');
    await userEvent.click(screen.getByRole('button', { name: 'Weitere laden' }));
    await screen.findByText('Abstimmung geöffnet: Punkt 3');
    expect(calls).toContain(`GET /api/v1/t/amt/notifications?limit=20&cursor=${note(2).id}`);
    expect(screen.getAllByRole('listitem')).toHaveLength(3);
    expect(document.activeElement?.textContent).toBe('Abstimmung geöffnet: Punkt 3');
    expect(screen.queryByRole('button', { name: 'Weitere laden' })).toBeNull();
  });

  it('following a link marks the notification read', async () => {
    renderPage();
    await screen.findByRole('list');
    await userEvent.click(screen.getByRole('link', { name: 'Abstimmung geöffnet: Punkt 2' }));
    await screen.findByText('Abstimmungsseite');
    expect(calls.some((c) => c.startsWith(`POST /api/v1/t/amt/notifications/${note(2).id}/read`))).toBe(true);
  });
});

describe('new notifications while the page is open', () => {
  it('offers to show them when the live count rises, and then focuses the newest', async () => {
    renderPage();
    await screen.findByRole('list');
    expect(screen.queryByRole('button', { name: 'Neue Benachrichtigungen anzeigen' })).toBeNull();
    act(() => setUnread('amt', 3));
    await userEvent.click(await screen.findByRole('button', { name: 'Neue Benachrichtigungen anzeigen' }));
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Neue Benachrichtigungen anzeigen' })).toBeNull());
    expect(calls.filter((c) => c === 'GET /api/v1/t/amt/notifications?limit=20')).toHaveLength(2);
    expect(document.activeElement?.textContent).toBe('Abstimmung geöffnet: Punkt 1');
  });
});
