import { act, render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { resetCsrfToken } from '../api/client';
import i18n from '../i18n';
import { ANNOUNCE_DELAY_MS, resetBell, setUnread } from './bell';
import { Bell } from './Bell';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

beforeEach(async () => {
  resetBell();
  resetCsrfToken();
  await i18n.changeLanguage('de');
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const req = input instanceof Request ? input : new Request(String(input), init);
      const path = new URL(req.url).pathname;
      if (path === '/api/v1/t/amt/notifications') return json(200, { items: [], unread: 3 });
      return json(404, { status: 404, title: 'not found', code: 'not-found' });
    }),
  );
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('the bell in the header', () => {
  it('names the unread count and links to the notifications', async () => {
    render(
      <MemoryRouter>
        <Bell slug="amt" />
      </MemoryRouter>,
    );
    const link = await screen.findByRole('link', { name: 'Benachrichtigungen, 3 ungelesen' });
    expect(link.getAttribute('href')).toBe('/t/amt/notifications');
    expect(link.textContent).toContain('3');
  });

  it('is named without a count when nothing is unread', async () => {
    render(
      <MemoryRouter>
        <Bell slug="amt" />
      </MemoryRouter>,
    );
    await screen.findByRole('link', { name: 'Benachrichtigungen, 3 ungelesen' });
    act(() => setUnread('amt', 0));
    expect(screen.getByRole('link', { name: 'Benachrichtigungen' })).toBeTruthy();
  });

  it('announces a rise politely once the count rests, and not a fall', async () => {
    render(
      <MemoryRouter>
        <Bell slug="amt" />
      </MemoryRouter>,
    );
    await screen.findByRole('link', { name: 'Benachrichtigungen, 3 ungelesen' });
    vi.useFakeTimers();
    const region = screen.getByRole('status');
    expect(region.textContent).toBe('');
    act(() => setUnread('amt', 4));
    act(() => vi.advanceTimersByTime(ANNOUNCE_DELAY_MS / 2));
    act(() => setUnread('amt', 5)); // a burst: announced once
    act(() => vi.advanceTimersByTime(ANNOUNCE_DELAY_MS / 2));
    expect(region.textContent).toBe('');
    act(() => vi.advanceTimersByTime(ANNOUNCE_DELAY_MS));
    expect(region.textContent).toBe('Neue Benachrichtigungen: 5 ungelesen');
    act(() => setUnread('amt', 1));
    act(() => vi.advanceTimersByTime(ANNOUNCE_DELAY_MS * 2));
    expect(region.textContent).toBe('Neue Benachrichtigungen: 5 ungelesen');
    expect(screen.getByRole('link', { name: 'Benachrichtigungen, 1 ungelesen' })).toBeTruthy();
  });
});
