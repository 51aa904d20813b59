import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, call, type Role } from '../api/client';
import type { TenantRef } from '../api/client';
import { folderCache, type FolderCache } from './trail';

export interface People {
  /** membership id → name (or e-mail) */
  members: Map<string, string>;
  /** group id → name */
  groups: Map<string, string>;
  /** Whether the lists could be read (only tenant admins may). */
  available: boolean;
}

export interface DocsContextValue {
  slug: string;
  role: Role;
  isAdmin: boolean;
  /** The caller's membership id (lock owner, "deleted by"); empty until known. */
  membershipId: string;
  people: People;
  folders: FolderCache;
}

/** Exported for tests, which provide a value directly. */
export const DocsContext = createContext<DocsContextValue | null>(null);
const Ctx = DocsContext;

export function useDocs(): DocsContextValue {
  const v = useContext(Ctx);
  if (!v) throw new Error('useDocs outside the documents module');
  return v;
}

const noPeople: People = { members: new Map(), groups: new Map(), available: false };

/** Up to this many members are read for names (admins only; others see "another member"). */
const MAX_MEMBER_PAGES = 5;

async function loadPeople(slug: string): Promise<People> {
  const members = new Map<string, string>();
  const groups = new Map<string, string>();
  let cursor: string | undefined;
  for (let i = 0; i < MAX_MEMBER_PAGES; i++) {
    const page = await call(api.GET('/api/v1/t/{tenant}/members', { params: { path: { tenant: slug }, query: { limit: 100, ...(cursor ? { cursor } : {}) } } }));
    for (const m of page.members ?? []) members.set(m.id, m.display_name || m.email);
    cursor = page.next_cursor ?? undefined;
    if (!cursor) break;
  }
  const g = await call(api.GET('/api/v1/t/{tenant}/groups', { params: { path: { tenant: slug } } }));
  for (const x of g.groups ?? []) groups.set(x.id, x.name);
  return { members, groups, available: true };
}

export function DocsProvider({ tenant, children }: { tenant: TenantRef; children: ReactNode }) {
  const [membershipId, setMembershipId] = useState('');
  const [people, setPeople] = useState<People>(noPeople);
  const isAdmin = tenant.role === 'admin';
  useEffect(() => {
    let live = true;
    call(api.GET('/api/v1/t/{tenant}', { params: { path: { tenant: tenant.slug } } }))
      .then((info) => live && setMembershipId(info.membership_id))
      .catch(() => undefined);
    if (isAdmin) {
      loadPeople(tenant.slug)
        .then((p) => live && setPeople(p))
        .catch(() => undefined);
    }
    return () => {
      live = false;
    };
  }, [tenant.slug, isAdmin]);
  const value: DocsContextValue = { slug: tenant.slug, role: tenant.role as Role, isAdmin, membershipId, people, folders: folderCache(tenant.slug) };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}
