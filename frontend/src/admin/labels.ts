// The audit catalogue (GET /audit/actions): what the log can contain, with German and
// English labels kept on the server beside the code that records the actions, so that
// every action has its labels (a Go test scans the source for them).
import type { Schemas } from '../api/client';

export type AuditCatalog = Schemas['AuditCatalogOutBody'];
export type AuditLabel = Schemas['AuditLabel'];
export type AuditObject = Schemas['AuditObject'];

/** The label in the UI language (German unless the UI is English). */
export function pick(label: AuditLabel | undefined, lng: string): string | undefined {
  if (!label) return undefined;
  return lng.startsWith('en') ? label.en : label.de;
}

export interface Catalogue {
  actions: Map<string, Schemas['AuditAction']>;
  types: Map<string, Schemas['AuditType']>;
  modules: Schemas['AuditModule'][];
}

export function indexCatalog(c: AuditCatalog | null | undefined): Catalogue {
  return {
    actions: new Map((c?.actions ?? []).map((a) => [a.key, a])),
    types: new Map((c?.types ?? []).map((t) => [t.key, t])),
    modules: c?.modules ?? [],
  };
}

/** An action's label; its key only when the catalogue does not know it. */
export function actionLabel(cat: Catalogue, action: string, lng: string): string {
  return pick(cat.actions.get(action)?.label, lng) ?? action;
}

/** An object type's label; the key only when the catalogue does not know it. */
export function typeLabel(cat: Catalogue, type: string, lng: string): string {
  return pick(cat.types.get(type)?.label, lng) ?? type;
}

export interface ActionGroup {
  module: string;
  label: string;
  /** The prefix that selects every action of the module (ends in a dot) */
  all: string;
  actions: { value: string; label: string }[];
}

/** The action filter: one group per module, in the catalogue's order, actions sorted by label. */
export function actionGroups(cat: Catalogue, lng: string): ActionGroup[] {
  const collator = new Intl.Collator(lng.startsWith('en') ? 'en' : 'de');
  const groups = cat.modules.map((m) => ({ module: m.key, label: pick(m.label, lng) ?? m.key, all: `${m.key}.`, actions: [] as ActionGroup['actions'] }));
  const byModule = new Map(groups.map((g) => [g.module, g]));
  for (const a of cat.actions.values()) {
    let g = byModule.get(a.module);
    if (!g) {
      g = { module: a.module, label: a.module, all: `${a.module}.`, actions: [] };
      byModule.set(a.module, g);
      groups.push(g);
    }
    g.actions.push({ value: a.key, label: pick(a.label, lng) ?? a.key });
  }
  for (const g of groups) g.actions.sort((x, y) => collator.compare(x.label, y.label));
  return groups.filter((g) => g.actions.length > 0);
}

/** Where the app shows an object the log names (undefined: no page). */
export function auditHref(slug: string, o: Pick<AuditObject, 'link' | 'email'> | undefined): string | undefined {
  const link = o?.link;
  if (!link) return undefined;
  const t = `/t/${encodeURIComponent(slug)}`;
  const id = encodeURIComponent(link.id ?? '');
  switch (link.kind) {
    case 'document':
      return id ? `${t}/documents/d/${id}` : undefined;
    case 'folder':
      return id ? `${t}/documents/f/${id}` : undefined;
    case 'trash':
      return `${t}/documents/trash`;
    case 'committee':
      return id ? `${t}/committees/${id}` : undefined;
    case 'meeting':
      return id ? `${t}/meetings/${id}` : undefined;
    case 'poll':
      return id ? `${t}/polls/${id}` : undefined;
    case 'member':
      return o?.email ? `${t}/admin/members?q=${encodeURIComponent(o.email)}` : `${t}/admin/members`;
    case 'invitations':
      return `${t}/admin/invitations`;
    case 'tokens':
      return `${t}/admin/tokens`;
    default:
      return undefined;
  }
}
