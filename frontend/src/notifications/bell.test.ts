import { describe, expect, it } from 'vitest';
import { badgeText, getUnread, parseBell, resetBell, setUnread, shouldAnnounce } from './bell';
import { notificationHref } from './links';

describe('the bell', () => {
  it('reads a snapshot of the live stream', () => {
    expect(parseBell('{"unread":3}')).toBe(3);
    expect(parseBell('{"unread":0}')).toBe(0);
    expect(parseBell('{"unread":-1}')).toBeNull();
    expect(parseBell('{"unread":"3"}')).toBeNull();
    expect(parseBell('not json')).toBeNull();
  });

  it('announces a rise only, and nothing before the first count', () => {
    expect(shouldAnnounce(undefined, 3)).toBe(false);
    expect(shouldAnnounce(2, 3)).toBe(true);
    expect(shouldAnnounce(3, 3)).toBe(false);
    expect(shouldAnnounce(3, 0)).toBe(false);
  });

  it('shows no badge at zero and caps it at 99+', () => {
    expect(badgeText(undefined)).toBe('');
    expect(badgeText(0)).toBe('');
    expect(badgeText(7)).toBe('7');
    expect(badgeText(120)).toBe('99+');
  });

  it('keeps one count per tenant and ignores nonsense', () => {
    resetBell();
    setUnread('amt', 2);
    setUnread('amt', -1);
    setUnread('rat', 5);
    expect(getUnread('amt')).toBe(2);
    expect(getUnread('rat')).toBe(5);
    expect(getUnread('x')).toBeUndefined();
  });

  it('links only to relative pages of the tenant', () => {
    expect(notificationHref('amt', 'polls/5b0c0a4e-1111-4222-8333-944455556666')).toBe('/t/amt/polls/5b0c0a4e-1111-4222-8333-944455556666');
    expect(notificationHref('amt', 'meetings/abc')).toBe('/t/amt/meetings/abc');
    expect(notificationHref('amt', 'https://evil.example/')).toBeNull();
    expect(notificationHref('amt', '/admin')).toBeNull();
    expect(notificationHref('amt', '../other/polls/1')).toBeNull();
    expect(notificationHref('amt', '')).toBeNull();
  });
});
