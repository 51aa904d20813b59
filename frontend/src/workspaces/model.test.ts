import { describe, expect, it } from 'vitest';
import {
  createBody,
  draftErrors,
  draftOf,
  emptyDraft,
  formatDay,
  mayUseWorkspaces,
  periodText,
  permits,
  readFilters,
  sortMembers,
  updateBody,
  workspaceHref,
  writers,
  type Workspace,
  type WorkspaceMember,
} from './model';

const ME = '0190a000-0000-7000-8000-000000000001';
const OTHER = '0190a000-0000-7000-8000-000000000002';

const ws = (over: Partial<Workspace> = {}): Workspace => ({
  id: 'w1',
  name: 'Radweg Nord',
  purpose: 'Planung des Radwegs',
  file_number: '61-2026/1',
  starts_on: '2026-03-01',
  ends_on: '2026-12-31',
  responsible_id: OTHER,
  visibility: 'open',
  state: 'active',
  folder_id: 'f1',
  version: 3,
  created_at: '2026-03-01T08:00:00Z',
  created_by: OTHER,
  updated_at: '2026-03-01T08:00:00Z',
  member_count: 2,
  can_manage: false,
  ...over,
});

const member = (id: string, role: WorkspaceMember['role']): WorkspaceMember => ({
  workspace_id: 'w1',
  membership_id: id,
  role,
  added_by: OTHER,
  created_at: '2026-03-01T08:00:00Z',
  updated_at: '2026-03-01T08:00:00Z',
  display_name: id,
  guest: false,
  active: true,
});

const t = (k: string, o?: Record<string, string>) => `${k}${o ? JSON.stringify(o) : ''}`;

describe('workspace addresses and filters', () => {
  it('links a workspace and reads the list filters from the address', () => {
    expect(workspaceHref('demo', 'w1')).toBe('/t/demo/workspaces/w1');
    expect(readFilters(new URLSearchParams(''), false)).toEqual({ scope: 'mine', state: 'active' });
    expect(readFilters(new URLSearchParams('scope=directory&state=archived'), false)).toEqual({ scope: 'directory', state: 'archived' });
    // "all" is for administrators; others fall back to their own workspaces.
    expect(readFilters(new URLSearchParams('scope=all&state=any'), false)).toEqual({ scope: 'mine', state: 'any' });
    expect(readFilters(new URLSearchParams('scope=all'), true).scope).toBe('all');
    expect(readFilters(new URLSearchParams('scope=x&state=y'), true)).toEqual({ scope: 'mine', state: 'active' });
  });

  it('is for staff and administrators', () => {
    expect(mayUseWorkspaces('staff')).toBe(true);
    expect(mayUseWorkspaces('admin')).toBe(true);
    expect(mayUseWorkspaces('committee')).toBe(false);
    expect(mayUseWorkspaces('partner')).toBe(false);
    expect(mayUseWorkspaces(undefined)).toBe(false);
  });
});

describe('the workspace form', () => {
  it('checks the name and the period', () => {
    expect(draftErrors(emptyDraft())).toEqual({ name: 'validation.required' });
    expect(draftErrors({ ...emptyDraft(), name: '  ' }).name).toBe('validation.required');
    expect(draftErrors({ ...emptyDraft(), name: 'A', startsOn: '2026-05-02', endsOn: '2026-05-01' })).toEqual({ ends_on: 'workspaces.form.endBeforeStart' });
    expect(draftErrors({ ...emptyDraft(), name: 'A', startsOn: '2026-05-01', endsOn: '2026-05-01' })).toEqual({});
    expect(draftErrors({ ...emptyDraft(), name: 'A', startsOn: '1.5.2026' })).toEqual({ starts_on: 'workspaces.form.dateInvalid' });
  });

  it('leaves empty optional fields out of a new workspace', () => {
    expect(createBody({ ...emptyDraft(), name: ' Radweg ' })).toEqual({ name: 'Radweg', visibility: 'closed' });
    expect(createBody({ name: 'R', purpose: ' P ', fileNumber: ' Az ', startsOn: '2026-01-01', endsOn: '2026-02-01', responsibleId: OTHER, visibility: 'open' })).toEqual({
      name: 'R',
      purpose: 'P',
      file_number: 'Az',
      starts_on: '2026-01-01',
      ends_on: '2026-02-01',
      responsible_id: OTHER,
      visibility: 'open',
    });
  });

  it('sends only what changed, and an emptied field as empty (it removes it)', () => {
    const before = draftOf(ws());
    expect(updateBody(before, before)).toEqual({});
    expect(updateBody(before, { ...before, name: 'Radweg Süd', fileNumber: '', endsOn: '' })).toEqual({ name: 'Radweg Süd', file_number: '', ends_on: '' });
    expect(updateBody(before, { ...before, responsibleId: ME, visibility: 'closed' })).toEqual({ responsible_id: ME, visibility: 'closed' });
  });
});

describe('what the caller may do', () => {
  const staff = { membershipId: ME, role: 'staff' as const };

  it('a non-member of an open workspace may join, and sees why the rest is refused', () => {
    const p = permits(ws(), staff);
    expect(p.join).toEqual({ ok: true });
    expect(p.edit).toEqual({ ok: false, reason: 'workspaces.reason.ownersOnly' });
    expect(p.members).toEqual({ ok: false, reason: 'workspaces.reason.ownersOnly' });
    expect(p.archive).toEqual({ ok: false, reason: 'workspaces.reason.ownersOnly' });
    expect(p.leave).toEqual({ ok: false, reason: 'workspaces.reason.notMember' });
  });

  it('a closed workspace cannot be joined; a member cannot join twice', () => {
    expect(permits(ws({ visibility: 'closed' }), staff).join).toEqual({ ok: false, reason: 'workspaces.reason.closed' });
    expect(permits(ws({ my_role: 'member' }), staff).join).toEqual({ ok: false, reason: 'workspaces.reason.alreadyMember' });
    expect(permits(ws(), { membershipId: ME, role: 'committee' }).join).toEqual({ ok: false, reason: 'workspaces.reason.staffOnly' });
  });

  it('owners and administrators manage an active workspace', () => {
    const p = permits(ws({ can_manage: true, my_role: 'owner' }), staff);
    expect([p.edit, p.members, p.archive, p.leave].every((x) => x.ok)).toBe(true);
    expect(p.restore).toEqual({ ok: false, reason: 'workspaces.reason.notArchived' });
  });

  it('an archived workspace is read-only until restored', () => {
    const p = permits(ws({ can_manage: true, my_role: 'owner', state: 'archived' }), staff);
    expect(p.edit).toEqual({ ok: false, reason: 'workspaces.reason.archived' });
    expect(p.members).toEqual({ ok: false, reason: 'workspaces.reason.archived' });
    expect(p.leave).toEqual({ ok: false, reason: 'workspaces.reason.archived' });
    expect(p.archive).toEqual({ ok: false, reason: 'workspaces.reason.alreadyArchived' });
    expect(p.restore).toEqual({ ok: true });
    // Restoring is for managers only.
    expect(permits(ws({ my_role: 'reader', state: 'archived' }), staff).restore).toEqual({ ok: false, reason: 'workspaces.reason.ownersOnly' });
  });

  it('the responsible person cannot leave', () => {
    expect(permits(ws({ my_role: 'owner', responsible_id: ME }), staff).leave).toEqual({ ok: false, reason: 'workspaces.reason.responsibleStays' });
  });
});

describe('members and dates', () => {
  it('sorts owners first, then by name; only writers may be responsible', () => {
    const names: Record<string, string> = { a: 'Zora', b: 'Anna', c: 'Bert', d: 'Carl' };
    const ms = [member('a', 'owner'), member('b', 'reader'), member('c', 'member'), member('d', 'owner')];
    expect(sortMembers(ms, (id) => names[id]).map((m) => names[m.membership_id])).toEqual(['Carl', 'Zora', 'Bert', 'Anna']);
    expect(writers(ms).map((m) => m.membership_id)).toEqual(['a', 'c', 'd']);
  });

  it('formats a day without shifting it, and the period with open ends', () => {
    expect(formatDay('2026-03-01', 'de')).toBe('01.03.2026');
    expect(formatDay('', 'de')).toBe('');
    expect(formatDay('garbage', 'de')).toBe('');
    expect(periodText({ starts_on: '2026-03-01', ends_on: '2026-12-31' }, 'de', t)).toBe('workspaces.period.range{"from":"01.03.2026","to":"31.12.2026"}');
    expect(periodText({ starts_on: '2026-03-01' }, 'de', t)).toBe('workspaces.period.from{"from":"01.03.2026"}');
    expect(periodText({ ends_on: '2026-12-31' }, 'de', t)).toBe('workspaces.period.to{"to":"31.12.2026"}');
    expect(periodText({}, 'de', t)).toBe('');
  });
});
