// Small pieces the document screens share: breadcrumbs, a folder's path, a person's name.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { isApiError } from '../api/problem';
import { useDocs } from './context';
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

/** Whoever a membership id is: "you", their name (admins can read names), or "another member". */
export function usePersonName(): (membershipId: string | undefined | null) => string {
  const { t } = useTranslation();
  const { membershipId, people } = useDocs();
  return (id) => {
    if (!id) return '';
    if (id === membershipId) return t('docs.you');
    return people.members.get(id) ?? t('docs.otherMember');
  };
}
