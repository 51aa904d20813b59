import { describe, expect, it } from 'vitest';
import { actionGroups, actionLabel, auditHref, indexCatalog, pick, typeLabel } from './labels';

const cat = indexCatalog({
  modules: [
    { key: 'auth', label: { de: 'Anmeldung und Sicherheit', en: 'Sign-in and security' } },
    { key: 'documents', label: { de: 'Dokumente', en: 'Documents' } },
  ],
  actions: [
    { key: 'documents.revision.restored', module: 'documents', label: { de: 'Frühere Fassung wiederhergestellt', en: 'Earlier version restored' } },
    { key: 'documents.document.created', module: 'documents', label: { de: 'Dokument angelegt', en: 'Document created' } },
    { key: 'auth.logout', module: 'auth', label: { de: 'Abmeldung', en: 'Signed out' } },
    { key: 'wiki.page.created', module: 'wiki', label: { de: 'Seite angelegt', en: 'Page created' } },
  ],
  types: [{ key: 'document', label: { de: 'Dokument', en: 'Document' } }],
});

describe('the audit catalogue', () => {
  it('labels in the UI language, German by default', () => {
    expect(pick({ de: 'Ja', en: 'Yes' }, 'de')).toBe('Ja');
    expect(pick({ de: 'Ja', en: 'Yes' }, 'en')).toBe('Yes');
    expect(pick({ de: 'Ja', en: 'Yes' }, 'en-GB')).toBe('Yes');
    expect(actionLabel(cat, 'documents.revision.restored', 'de')).toBe('Frühere Fassung wiederhergestellt');
    expect(actionLabel(cat, 'documents.revision.restored', 'en')).toBe('Earlier version restored');
    expect(typeLabel(cat, 'document', 'de')).toBe('Dokument');
    // Unknown to the catalogue: the key rather than nothing.
    expect(actionLabel(cat, 'x.y', 'de')).toBe('x.y');
    expect(typeLabel(cat, 'spaceship', 'en')).toBe('spaceship');
  });

  it('groups the filter by module, in the catalogue order, actions sorted by label, every action once', () => {
    const groups = actionGroups(cat, 'de');
    expect(groups.map((g) => g.all)).toEqual(['auth.', 'documents.', 'wiki.']);
    expect(groups[1].label).toBe('Dokumente');
    expect(groups[1].actions.map((a) => a.label)).toEqual(['Dokument angelegt', 'Frühere Fassung wiederhergestellt']);
    expect(groups.flatMap((g) => g.actions.map((a) => a.value)).sort()).toEqual([...cat.actions.keys()].sort());
  });

  it('links objects to the pages that show them', () => {
    const h = (kind: string, id?: string, email?: string) => auditHref('amt', { link: { kind: kind as never, id }, email });
    expect(h('document', 'd1')).toBe('/t/amt/documents/d/d1');
    expect(h('folder', 'f1')).toBe('/t/amt/documents/f/f1');
    expect(h('trash')).toBe('/t/amt/documents/trash');
    expect(h('committee', 'c1')).toBe('/t/amt/committees/c1');
    expect(h('meeting', 'm1')).toBe('/t/amt/meetings/m1');
    expect(h('poll', 'p1')).toBe('/t/amt/polls/p1');
    expect(h('member', 'ms1', 'anna+x@amt.de')).toBe('/t/amt/admin/members?q=anna%2Bx%40amt.de');
    expect(h('invitations')).toBe('/t/amt/admin/invitations');
    expect(h('tokens')).toBe('/t/amt/admin/tokens');
    expect(h('document')).toBeUndefined();
    expect(auditHref('amt', { email: 'a@b' })).toBeUndefined();
  });
});
