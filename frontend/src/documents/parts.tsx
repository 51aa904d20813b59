// Small pieces the document screens share: breadcrumbs, a folder's path, a person's name.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { isApiError } from '../api/problem';
import { useDocs } from './context';
import type { Directory } from './directory';
import type { FolderView } from './model';
import { buildTrail, loadTrail, type Crumb } from './trail';

export const docsBase = (slug: string) => `/t/${slug}/documents`;
export const folderHref = (slug: string, id: string) => `${docsBase(slug)}/f/${id}`;
export const documentHref = (slug: string, id: string) => `${docsBase(slug)}/d/${id}`;

/** Reads one folder; null when it is gone or not readable (the trail stops there). */
export async function fetchFolder(slug: string, id: string): Promise<FolderView | null> {
  try {
    return await call(api.GET('/api/v1/t/{tenant}/folders/{id}', { params: { path: { tenant: slug, id } } }));
  } catch (e) {
    if (isApiError(e) && (e.status === 404 || e.status === 403)) return null;
    throw e;
  }
}

/** The server's breadcrumb of a folder; null when it has none (then the parent chain is walked). */
export async function fetchPath(slug: string, id: string): Promise<Crumb[] | null> {
  try {
    const res = await call(api.GET('/api/v1/t/{tenant}/folders/{id}/path', { params: { path: { tenant: slug, id } } }));
    return (res.path ?? []).map((c) => ({ id: c.id, name: c.name }));
  } catch (e) {
    if (isApiError(e) && (e.status === 404 || e.status === 405)) return null;
    throw e;
  }
}

/** The folders from the root down to `folderId`, completed in the background. */
export function useTrail(folderId: string | undefined): { trail: Crumb[]; truncated: boolean } {
  const { slug, folders } = useDocs();
  const cachedPath = folderId ? folders.path(folderId) : undefined;
  const initial = cachedPath ? { trail: cachedPath, missing: undefined } : folderId ? buildTrail(folderId, (x) => folders.get(x)) : { trail: [] as Crumb[], missing: undefined };
  const [state, setState] = useState<{ trail: Crumb[]; truncated: boolean }>({ trail: initial.trail, truncated: Boolean(initial.missing) });
  useEffect(() => {
    if (!folderId) {
      setState({ trail: [], truncated: false });
      return;
    }
    let live = true;
    loadTrail(folderId, folders, (id) => fetchPath(slug, id), (id) => fetchFolder(slug, id))
      .then((r) => live && setState(r))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [folderId, slug, folders]);
  return state;
}

/**
 * The breadcrumb navigation: "Dokumente › A › B". The last crumb is the current page
 * (`current`), or a link when the page is a document inside the last folder.
 */
export function Breadcrumbs({ folderId, current, folderName }: { folderId?: string; current?: string; folderName?: string }) {
  const { t } = useTranslation();
  const { slug } = useDocs();
  const { trail, truncated } = useTrail(folderId);
  const items: { label: string; href?: string }[] = [{ label: t('docs.title'), href: docsBase(slug) }];
  if (truncated) items.push({ label: '…' });
  trail.forEach((c) => items.push({ label: c.name, href: folderHref(slug, c.id) }));
  if (folderId && trail.length === 0 && folderName && current === undefined) items.push({ label: folderName }); // while the path loads
  if (current !== undefined) items.push({ label: current });
  else if (items.length > 0) {
    const last = items[items.length - 1];
    delete last.href;
    // The folder's own, live name (after a rename, before the path is read again).
    if (folderName && items.length > 1) last.label = folderName;
  }
  return (
    <nav className="app-breadcrumbs" aria-label={t('docs.breadcrumbs')}>
      <ol className="app-breadcrumbs__list">
        {items.map((it, i) => (
          <li key={i} className="app-breadcrumbs__item">
            {it.href ? (
              <Link className="kern-link" to={it.href}>
                {it.label}
              </Link>
            ) : (
              <span aria-current={i === items.length - 1 ? 'page' : undefined}>{it.label}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

/** A folder's path as text ("A › B"), linked to the folder. */
export function FolderPath({ folderId }: { folderId: string }) {
  const { slug } = useDocs();
  const { trail, truncated } = useTrail(folderId);
  if (trail.length === 0) return <span className="app-muted-line">…</span>;
  const text = `${truncated ? '… › ' : ''}${trail.map((c) => c.name).join(' › ')}`;
  return (
    <Link className="kern-link" to={folderHref(slug, folderId)}>
      {text}
    </Link>
  );
}

/** The tenant's directory; the calling component renders again when names arrive. */
export function useDirectory(): Directory {
  const { directory } = useDocs();
  useSyncExternalStore(directory.subscribe, directory.snapshot, directory.snapshot);
  return directory;
}

/**
 * A membership id as a name from the directory: the person's name (marked when the
 * membership is deactivated), a neutral placeholder while it loads, and "another member"
 * for ids the directory does not know (another tenant's, or for partners every id).
 */
export function useMemberName(): (membershipId: string | undefined | null) => string {
  const { t } = useTranslation();
  const directory = useDirectory();
  return (id) => {
    if (!id) return '';
    const p = directory.person(id);
    if (p === undefined) return t('docs.personLoading');
    if (p === null) return t('docs.otherMember');
    return p.active ? p.name : t('docs.personDeactivated', { name: p.name });
  };
}

/** Whoever a membership id is: "you", their name (from the directory), or "another member". */
export function usePersonName(): (membershipId: string | undefined | null) => string {
  const { t } = useTranslation();
  const { membershipId } = useDocs();
  const name = useMemberName();
  return (id) => {
    if (id && id === membershipId) return t('docs.you');
    return name(id);
  };
}
