import { describe, expect, it } from 'vitest';
import { notificationHref } from '../notifications/links';
import { extendError } from './ExtendDialog';
import { answered, answersFor, consultationErrors, createConsultationBody, dateTimeInputs, deadlineOf, emptyConsultationDraft, guestPermit, staffPermits } from './model';
import { receivedError } from './PostalDialog';
import { relativeTime } from './parts';
import { cons } from './testing';

const NOW = new Date('2026-12-07T10:00:00Z');

describe('consultation model', () => {
  it('reads the deadline from date and time inputs in local time, and back', () => {
    const iso = deadlineOf('2026-12-14', '12:00');
    expect(iso).toBe(new Date(2026, 11, 14, 12, 0).toISOString());
    expect(dateTimeInputs(iso!)).toEqual({ date: '2026-12-14', time: '12:00' });
    expect(deadlineOf('14.12.2026', '12:00')).toBeUndefined();
    expect(deadlineOf('2026-12-14', '')).toBeUndefined();
  });

  it('checks subject and deadline before sending; builds the body without empty questions', () => {
    const d = { ...emptyConsultationDraft(NOW), subject: '  ', date: '2026-12-01', time: '12:00' };
    expect(consultationErrors(d, NOW)).toEqual({ subject: 'validation.required', deadline: 'consultations.form.deadlinePast' });
    expect(consultationErrors({ ...d, date: '' }, NOW).deadline).toBe('consultations.form.deadlineInvalid');
    const ok = { ...d, subject: ' Brücke ', date: '2026-12-20', questions: [' Spannweite? ', '', 'Bauzeit?'], organisations: ['o1'], documents: [] };
    expect(consultationErrors(ok, NOW)).toEqual({});
    expect(createConsultationBody(ok)).toEqual({ subject: 'Brücke', deadline: new Date(2026, 11, 20, 12, 0).toISOString(), questions: ['Spannweite?', 'Bauzeit?'], organisations: ['o1'] });
    // The default deadline: two weeks ahead at noon, one empty question.
    expect(emptyConsultationDraft(NOW)).toMatchObject({ date: '2026-12-21', time: '12:00', questions: [''] });
  });

  it('notifications consultation.* lead to the consultation page', () => {
    expect(notificationHref('demo', 'consultations/01a25205-66b4-75ee-85e6-7ba35b48e6d9')).toBe('/t/demo/consultations/01a25205-66b4-75ee-85e6-7ba35b48e6d9');
  });

  it('counts the organisations that answered', () => {
    expect(answered(cons())).toEqual({ answered: 1, invited: 2 });
  });

  it('staff: what can be done in which state, each refusal with its reason', () => {
    const open = staffPermits(cons(), NOW);
    expect(Object.values(open).every((p) => p.ok) ? 'all' : 'some').toBe('some');
    expect(open.open).toEqual({ ok: false, reason: 'consultations.reason.alreadyOpen' });
    expect(open.remind.ok && open.close.ok && open.extend.ok && open.postal.ok && open.synopsis.ok && open.import.ok).toBe(true);
    const draft = staffPermits(cons({ state: 'draft', accepting: false, invitees: [] }), NOW);
    expect(draft.open).toEqual({ ok: false, reason: 'consultations.reason.noInvitees' });
    expect(draft.remind).toEqual({ ok: false, reason: 'consultations.reason.notOpen' });
    expect(draft.synopsis).toEqual({ ok: false, reason: 'consultations.reason.noStatements' });
    expect(staffPermits(cons({ state: 'draft', deadline: '2026-12-01T10:00:00Z' }), NOW).open).toEqual({ ok: false, reason: 'consultations.reason.deadlinePassed' });
    const passed = staffPermits(cons({ accepting: false, deadline: '2026-12-06T10:00:00Z' }), NOW);
    expect(passed.remind).toEqual({ ok: false, reason: 'consultations.reason.deadlinePassed' });
    expect(passed.extend.ok).toBe(true);
    const closed = staffPermits(cons({ state: 'closed', accepting: false }), NOW);
    for (const k of ['remind', 'extend', 'close', 'postal'] as const) expect(closed[k]).toEqual({ ok: false, reason: 'consultations.reason.closed' });
    expect(closed.synopsis.ok).toBe(true);
    const all = staffPermits(cons({ invitees: [cons().invitees[0]] }), NOW);
    expect(all.remind).toEqual({ ok: false, reason: 'consultations.reason.allAnswered' });
    const reader = staffPermits(cons({ can_manage: false }), NOW);
    expect(Object.values(reader).every((p) => !p.ok && p.reason === 'consultations.reason.managersOnly')).toBe(true);
  });

  it('guests write only while statements are taken', () => {
    expect(guestPermit(cons(), NOW).ok).toBe(true);
    expect(guestPermit(cons({ state: 'closed', accepting: false }), NOW)).toEqual({ ok: false, reason: 'consultations.reason.closed' });
    expect(guestPermit(cons({ accepting: false, deadline: '2026-12-06T10:00:00Z' }), NOW)).toEqual({ ok: false, reason: 'consultations.reason.deadlinePassed' });
  });

  it('one answer per question', () => {
    expect(answersFor(['a', 'b'], ['x'])).toEqual(['x', '']);
    expect(answersFor(['a'], ['x', 'y'])).toEqual(['x']);
    expect(answersFor([], undefined)).toEqual([]);
  });

  it('a new deadline must be later; a letter arrives by the deadline and not in the future', () => {
    expect(extendError('2026-12-10', '12:00', '2026-12-14T11:00:00Z', NOW)).toBe('consultations.extend.notLater');
    expect(extendError('2026-12-20', '12:00', '2026-12-14T11:00:00Z', NOW)).toBeUndefined();
    expect(extendError('2026-12-01', '12:00', '2026-11-14T11:00:00Z', NOW)).toBe('consultations.form.deadlinePast');
    expect(receivedError('2026-12-06', '09:00', '2026-12-14T11:00:00Z', NOW)).toBeUndefined();
    expect(receivedError('2026-12-09', '09:00', '2026-12-14T11:00:00Z', NOW)).toBe('consultations.postal.future');
    expect(receivedError('2026-12-06', '09:00', '2026-12-05T11:00:00Z', NOW)).toBe('consultations.postal.late');
  });

  it('says times relative, in German and English', () => {
    expect(relativeTime('2026-12-07T09:55:00Z', 'de', NOW)).toBe('vor 5 Minuten');
    expect(relativeTime('2026-12-10T10:00:00Z', 'de', NOW)).toBe('in 3 Tagen');
    expect(relativeTime('2026-12-07T09:59:40Z', 'de', NOW)).toBe('in dieser Minute');
    expect(relativeTime('2026-12-06T10:00:00Z', 'en', NOW)).toBe('yesterday');
  });
});
