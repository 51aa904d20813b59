import { describe, expect, it } from 'vitest';
import type { GuestView } from './api';
import { accessBounds, accessDayError, daysFrom, guestHref, guestPermits, isDay, mayManageGuests, sortGuests, stateVariant, yearsFrom } from './model';

// A fixed local day: 7 December 2026, noon.
const NOW = new Date(2026, 11, 7, 12, 0, 0);

describe('access dates', () => {
  it('counts days and years in the local calendar', () => {
    expect(daysFrom(NOW, 180)).toBe('2027-06-05');
    expect(daysFrom(NOW, 0)).toBe('2026-12-07');
    expect(yearsFrom(NOW, 2)).toBe('2028-12-07');
    // 29 February has no twin two years later: the last day of February.
    expect(yearsFrom(new Date(2028, 1, 29), 2)).toBe('2030-02-28');
  });

  it('defaults to today + 180 days, at most two years', () => {
    expect(accessBounds(NOW)).toEqual({ min: '2026-12-07', max: '2028-12-07', initial: '2027-06-05' });
  });

  it('accepts real days between today and two years from today, with a reason otherwise', () => {
    expect(isDay('2027-02-29')).toBe(false);
    expect(isDay('2028-02-29')).toBe(true);
    expect(isDay('7.12.2026')).toBe(false);
    expect(accessDayError('', NOW)).toBe('guests.until.required');
    expect(accessDayError('2027-13-01', NOW)).toBe('guests.until.invalid');
    expect(accessDayError('2026-12-06', NOW)).toBe('guests.until.past');
    expect(accessDayError('2026-12-07', NOW)).toBeUndefined();
    expect(accessDayError('2028-12-07', NOW)).toBeUndefined();
    expect(accessDayError('2028-12-08', NOW)).toBe('guests.until.tooLate');
  });
});

describe('guest permits', () => {
  it('renews any guest but a deactivated one, and ends only access that still runs', () => {
    expect(guestPermits({ state: 'active' })).toEqual({ renew: { ok: true }, offboard: { ok: true } });
    expect(guestPermits({ state: 'expired' })).toEqual({ renew: { ok: true }, offboard: { ok: true } });
    expect(guestPermits({ state: 'offboarded' })).toEqual({ renew: { ok: true }, offboard: { ok: false, reason: 'guests.reason.offboarded' } });
    expect(guestPermits({ state: 'deactivated' })).toEqual({
      renew: { ok: false, reason: 'guests.reason.deactivated' },
      offboard: { ok: false, reason: 'guests.reason.deactivated' },
    });
  });

  it('is for staff and administrators', () => {
    expect(mayManageGuests('staff')).toBe(true);
    expect(mayManageGuests('admin')).toBe(true);
    expect(mayManageGuests('partner')).toBe(false);
    expect(mayManageGuests('committee')).toBe(false);
    expect(mayManageGuests(undefined)).toBe(false);
  });
});

describe('guest list helpers', () => {
  it('sorts by name as people read it, the address standing in for a missing name', () => {
    const g = (display_name: string, email: string) => ({ display_name, email }) as GuestView;
    expect(sortGuests([g('Zora', 'z@x'), g('', 'anna@x'), g('Ärne', 'a@x'), g('bernd', 'b@x')], 'de').map((x) => x.display_name || x.email)).toEqual([
      'anna@x',
      'Ärne',
      'bernd',
      'Zora',
    ]);
  });

  it('has an address per guest and a colour per state', () => {
    expect(guestHref('demo', 'g1')).toBe('/t/demo/guests/g1');
    expect(stateVariant('active')).toBe('success');
    expect(stateVariant('expired')).toBe('warning');
    expect(stateVariant('deactivated')).toBe('danger');
  });
});
