import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, call, type Role } from '../api/client';
import type { TenantRef } from '../api/client';
import { directoryFor, type Directory } from './directory';
import { folderCache, type FolderCache } from './trail';

export interface DocsContextValue {
  slug: string;
  role: Role;
  isAdmin: boolean;
  /** The caller's membership id (lock owner, "deleted by"); empty until known. */
  membershipId: string;
  /** Names behind membership and group ids, and the people search (not for partners). */
  directory: Directory;
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

export function DocsProvider({ tenant, children }: { tenant: TenantRef; children: ReactNode }) {
  const [membershipId, setMembershipId] = useState('');
  const isAdmin = tenant.role === 'admin';
  useEffect(() => {
    let live = true;
    call(api.GET('/api/v1/t/{tenant}', { params: { path: { tenant: tenant.slug } } }))
      .then((info) => live && setMembershipId(info.membership_id))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [tenant.slug]);
  const directory = directoryFor(tenant.slug, tenant.role !== 'partner');
  const value: DocsContextValue = { slug: tenant.slug, role: tenant.role as Role, isAdmin, membershipId, directory, folders: folderCache(tenant.slug) };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}
