// Pure helpers of the groups pages.
import type { TFunction } from 'i18next';
import { isApiError } from '../api/problem';

interface Named {
  name: string;
  id: string;
}

/** Groups by name as people read it (German collation in German, case-insensitive). */
export function sortGroups<T extends Named>(groups: T[], lng: string): T[] {
  const collator = new Intl.Collator(lng === 'en' ? 'en' : 'de', { sensitivity: 'base', numeric: true });
  return [...groups].sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** What deleting a group does, in words: its permissions go, its members keep the rest. */
export function deleteConsequences(t: TFunction, name: string, grants: number | undefined, members: number): string[] {
  const lines = [t('admin.groups.deleteWhat', { name })];
  if (grants === undefined) lines.push(t('admin.groups.deleteGrantsUnknown'));
  else if (grants === 0) lines.push(t('admin.groups.deleteNoGrants'));
  else lines.push(t('admin.groups.deleteGrants', { count: grants }));
  if (members > 0) lines.push(t('admin.groups.deleteMembers', { count: members }));
  lines.push(t('admin.groups.deleteFinal'));
  return lines;
}

/**
 * The server's refusal of a group form, at its field: invalid input where the server
 * names the field, a conflict (the name is taken, or the tenant has the most groups) at
 * the name. True when it was shown there.
 */
export function nameConflict<F extends string>(fields: { fromServer: (e: unknown) => boolean; show: (e: Partial<Record<F, string>>) => boolean }) {
  return (err: unknown): boolean => {
    if (fields.fromServer(err)) return true;
    if (isApiError(err) && err.code === 'conflict') {
      fields.show({ name: err.detail || err.title } as Partial<Record<F, string>>);
      return true;
    }
    return false;
  };
}
