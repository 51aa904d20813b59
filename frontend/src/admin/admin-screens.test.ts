import { describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { deleteConsequences, sortGroups } from './groups';
import { quotaState } from './storage';

describe('quotaState', () => {
  it('adds reserved bytes, rounds down, and warns from 80 %', () => {
    expect(quotaState({ used_bytes: 500, reserved_bytes: 0, quota_bytes: 1000 })).toEqual({ taken: 500, share: 0.5, percent: 50, free: 500, level: 'ok' });
    expect(quotaState({ used_bytes: 700, reserved_bytes: 100, quota_bytes: 1000 }).level).toBe('high');
    expect(quotaState({ used_bytes: 999, reserved_bytes: 0, quota_bytes: 1000 }).percent).toBe(99);
    expect(quotaState({ used_bytes: 1000, reserved_bytes: 0, quota_bytes: 1000 })).toMatchObject({ percent: 100, free: 0, level: 'full' });
  });
  it('caps a quota lowered below the use, and handles none or zero', () => {
    expect(quotaState({ used_bytes: 3000, reserved_bytes: 0, quota_bytes: 1000 })).toMatchObject({ share: 1, percent: 100, free: 0, level: 'full' });
    expect(quotaState({ used_bytes: 0, reserved_bytes: 0, quota_bytes: 0 })).toMatchObject({ percent: 100, level: 'full' });
    expect(quotaState({ used_bytes: 5, reserved_bytes: 1, quota_bytes: null })).toMatchObject({ taken: 6, level: 'unlimited' });
  });
});

describe('groups', () => {
  it('sorts by name as people read it', () => {
    const g = (name: string, id = name) => ({ name, id });
    expect(sortGroups([g('Zoll'), g('Ämter'), g('bauamt'), g('Bauamt 10'), g('Bauamt 9')], 'de').map((x) => x.name)).toEqual([
      'Ämter',
      'bauamt',
      'Bauamt 9',
      'Bauamt 10',
      'Zoll',
    ]);
  });
  it('says what deleting a group does', async () => {
    await i18n.changeLanguage('de');
    const t = i18n.t.bind(i18n);
    expect(deleteConsequences(t, 'Rat', 3, 2)).toEqual([
      'Die Gruppe „Rat“ und die Zuordnung ihrer Mitglieder werden gelöscht.',
      '3 Ordnerberechtigungen, die der Gruppe erteilt wurden, werden entfernt.',
      'Die 2 Mitglieder verlieren den Zugriff, den sie nur über diese Gruppe hatten; ihre Rollen, eigenen Berechtigungen und anderen Gruppen bleiben.',
      'Das lässt sich nicht rückgängig machen.',
    ]);
    expect(deleteConsequences(t, 'Rat', 0, 0)[1]).toBe('Der Gruppe ist keine Ordnerberechtigung erteilt.');
    expect(deleteConsequences(t, 'Rat', 1, 1)[1]).toBe('1 Ordnerberechtigung, die der Gruppe erteilt wurde, wird entfernt.');
    await i18n.changeLanguage('en');
    expect(deleteConsequences(i18n.t.bind(i18n), 'Council', undefined, 1)).toEqual([
      'The group “Council” and its members\' assignment to it are deleted.',
      'Every folder permission granted to the group is removed.',
      'The member loses the access they had only through this group; their role, own permissions and other groups stay.',
      'This cannot be undone.',
    ]);
    await i18n.changeLanguage('de');
  });
});
