import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { api, call } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { ActionCell, Cell, Row, Table, type Column } from '../components/Table';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { useDocs } from './context';
import { FolderPickerDialog } from './FolderPickerDialog';
import { hasMore, mergeById, nextSort, parseSort, sortEntries, sortToParams, type Cursors, type Entry, type SortKey } from './listing';
import { can, etag, formatBytes, typeLabel, type DocumentView, type FolderView } from './model';
import { NameDialog } from './NameDialog';
import { Breadcrumbs, docsBase, documentHref, folderHref } from './parts';
import { PermissionsDialog } from './PermissionsDialog';
import { RetentionDialog } from './RetentionDialog';
import type { UploadResult } from './upload';
import { UploadPanel } from './UploadPanel';

export const PAGE_SIZE = 50;

/** Moves focus once the dialog that ran an action has closed (its opener may be gone). */
export function focusSoon(id: string): void {
  setTimeout(() => document.getElementById(id)?.focus(), 60);
}

export interface Notice {
  notice?: string;
}

type Pending =
  | { kind: 'new-folder' }
  | { kind: 'rename' }
  | { kind: 'permissions' }
  | { kind: 'retention' }
  | { kind: 'delete-self' }
  | { kind: 'move'; entry: Entry }
  | { kind: 'delete'; entry: Entry }
  | null;

/** A folder's content (or, without folderId, the top-level folders) with everything one does there. */
export function FolderPage({ folderId }: { folderId?: string }) {
  const { t, i18n } = useTranslation();
  const { slug, isAdmin, folders: cache } = useDocs();
  const navigate = useNavigate();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const sort = parseSort(params);
  const [folder, setFolder] = useState<FolderView | null>(null);
  const [subfolders, setSubfolders] = useState<FolderView[] | null>(null);
  const [docs, setDocs] = useState<DocumentView[]>([]);
  const [cursors, setCursors] = useState<Cursors>({});
  const [pending, setPending] = useState<Pending>(null);
  const [notice, setNotice] = useState<string>((location.state as Notice | null)?.notice ?? '');
  const [loadedMsg, setLoadedMsg] = useState('');
  const load = useAction();
  const more = useAction();
  const tableHeading = useId();
  const lng = i18n.language;

  const reload = useCallback(async () => {
    const res = await load.run(async () => {
      if (!folderId) {
        const roots = await call(api.GET('/api/v1/t/{tenant}/folders', { params: { path: { tenant: slug }, query: { limit: PAGE_SIZE } } }));
        return { folder: null, roots, docs: null };
      }
      const path = { tenant: slug, id: folderId };
      const [f, children, documents] = await Promise.all([
        call(api.GET('/api/v1/t/{tenant}/folders/{id}', { params: { path } })),
        call(api.GET('/api/v1/t/{tenant}/folders/{id}/children', { params: { path, query: { limit: PAGE_SIZE } } })),
        call(api.GET('/api/v1/t/{tenant}/folders/{id}/documents', { params: { path, query: { limit: PAGE_SIZE } } })),
      ]);
      return { folder: f, roots: children, docs: documents };
    });
    if (!res) return;
    if (res.folder) cache.remember(res.folder);
    cache.remember(...(res.roots.folders ?? []));
    setFolder(res.folder);
    setSubfolders(res.roots.folders ?? []);
    setDocs(res.docs?.documents ?? []);
    setCursors({ folders: res.roots.next_cursor || undefined, documents: res.docs?.next_cursor || undefined });
  }, [slug, folderId]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void reload();
  }, [reload]);

  // A notice handed over by the previous page is shown once, not again after a reload.
  useEffect(() => {
    if ((location.state as Notice | null)?.notice) navigate(location.pathname + location.search, { replace: true, state: null });
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const loadMore = async () => {
    const res = await more.run(async () => {
      const fPage = cursors.folders
        ? folderId
          ? call(api.GET('/api/v1/t/{tenant}/folders/{id}/children', { params: { path: { tenant: slug, id: folderId }, query: { limit: PAGE_SIZE, cursor: cursors.folders } } }))
          : call(api.GET('/api/v1/t/{tenant}/folders', { params: { path: { tenant: slug }, query: { limit: PAGE_SIZE, cursor: cursors.folders } } }))
        : Promise.resolve(null);
      const dPage =
        cursors.documents && folderId
          ? call(api.GET('/api/v1/t/{tenant}/folders/{id}/documents', { params: { path: { tenant: slug, id: folderId }, query: { limit: PAGE_SIZE, cursor: cursors.documents } } }))
          : Promise.resolve(null);
      return Promise.all([fPage, dPage]);
    });
    if (!res) return;
    const [f, d] = res;
    const added = (f?.folders?.length ?? 0) + (d?.documents?.length ?? 0);
    if (f) {
      cache.remember(...(f.folders ?? []));
      setSubfolders((l) => mergeById(l ?? [], f.folders ?? []));
    }
    if (d) setDocs((l) => mergeById(l, d.documents ?? []));
    setCursors({ folders: f ? f.next_cursor || undefined : cursors.folders, documents: d ? d.next_cursor || undefined : cursors.documents });
    setLoadedMsg(t('docs.folder.moreLoaded', { count: added }));
  };

  const onSort = (key: SortKey) => setParams(sortToParams(nextSort(sort, key), params), { replace: true });

  const uploaded = useCallback((r: UploadResult) => setDocs((l) => mergeById(l, [r.document])), []);

  if (load.error && !subfolders) {
    return (
      <>
        <Breadcrumbs folderId={undefined} current={t('docs.folder.unavailable')} />
        <PageHeading title={t('docs.folder.unavailable')}>{t('docs.folder.unavailable')}</PageHeading>
        <ErrorAlert error={load.error} />
      </>
    );
  }
  if (!subfolders) return <Loading />;

  const title = folder ? folder.name : t('docs.title');
  const access = folder?.access;
  const canCreate = folder ? can(access, 'write') : isAdmin;
  const entries = sortEntries(subfolders, docs, sort, lng);
  const parentHref = folder?.parent_id ? folderHref(slug, folder.parent_id) : docsBase(slug);

  const sortColumn = (key: SortKey, label: string): Column => ({ label, sort: { key, direction: sort.key === key ? sort.dir : undefined, onSort: () => onSort(key) } });

  const entryAccess = (e: Entry) => e.item.access;
  const canMove = (e: Entry) => (e.kind === 'folder' ? can(entryAccess(e), 'manage') : can(entryAccess(e), 'write'));
  const canDelete = canMove;

  const moveEntry = async (e: Entry, target: FolderView | null) => {
    if (e.kind === 'folder') {
      await call(api.POST('/api/v1/t/{tenant}/folders/{id}/move', { params: { path: { tenant: slug, id: e.item.id } }, body: { parent_id: target?.id ?? null } }));
      cache.forget(e.item.id);
      setSubfolders((l) => (l ?? []).filter((x) => x.id !== e.item.id));
    } else {
      if (!target) return;
      await call(
        api.POST('/api/v1/t/{tenant}/documents/{id}/move', {
          params: { path: { tenant: slug, id: e.item.id }, header: { 'If-Match': etag(e.item.version) } },
          body: { folder_id: target.id },
        }),
      );
      setDocs((l) => l.filter((x) => x.id !== e.item.id));
    }
    setNotice(t('docs.folder.moved', { name: e.kind === 'folder' ? e.item.name : e.item.title, target: target?.name ?? t('docs.picker.top') }));
    focusSoon(tableHeading); // the row (and the button that opened the dialog) is gone
  };

  const deleteEntry = async (e: Entry) => {
    if (e.kind === 'folder') {
      await call(api.DELETE('/api/v1/t/{tenant}/folders/{id}', { params: { path: { tenant: slug, id: e.item.id } } }));
      cache.forget(e.item.id);
      setSubfolders((l) => (l ?? []).filter((x) => x.id !== e.item.id));
    } else {
      await call(api.DELETE('/api/v1/t/{tenant}/documents/{id}', { params: { path: { tenant: slug, id: e.item.id }, header: { 'If-Match': etag(e.item.version) } } }));
      setDocs((l) => l.filter((x) => x.id !== e.item.id));
    }
    setNotice(t('docs.folder.trashed', { name: e.kind === 'folder' ? e.item.name : e.item.title }));
    focusSoon(tableHeading);
  };

  const entryName = (e: Entry) => (e.kind === 'folder' ? e.item.name : e.item.title);

  return (
    <>
      <Breadcrumbs folderId={folderId} folderName={folder?.name} />
      <PageHeading title={title} sub={folder ? undefined : t('docs.rootLead')}>
        {title}
      </PageHeading>
      {notice && <Alert variant="success" title={notice} live="status" />}
      <div className="app-actions app-toolbar">
        {canCreate && (
          <Button icon="add" onClick={() => setPending({ kind: 'new-folder' })}>
            {t('docs.folder.new')}
          </Button>
        )}
        {folder && can(access, 'write') && (
          <Button variant="secondary" icon="edit" onClick={() => setPending({ kind: 'rename' })}>
            {t('docs.folder.rename')}
          </Button>
        )}
        {folder && (
          <Button variant="secondary" icon="calendar-today" onClick={() => setPending({ kind: 'retention' })}>
            {t('docs.folder.retention')}
          </Button>
        )}
        {folder && can(access, 'manage') && (
          <>
            <Button variant="secondary" icon="arrow-forward" onClick={() => setPending({ kind: 'move', entry: { kind: 'folder', item: folder } })}>
              {t('docs.folder.move')}
            </Button>
            <Button variant="secondary" icon="account-circle" onClick={() => setPending({ kind: 'permissions' })}>
              {t('docs.folder.permissions')}
            </Button>
            <Button variant="secondary" icon="delete" onClick={() => setPending({ kind: 'delete-self' })}>
              {t('docs.folder.delete')}
            </Button>
          </>
        )}
      </div>
      {folder && !can(access, 'write') && <p className="kern-body kern-body--muted">{t('docs.folder.readOnly')}</p>}

      {folder && can(access, 'write') && <UploadPanel folderId={folder.id} onUploaded={uploaded} />}

      <section className="app-section" aria-labelledby={tableHeading}>
        <h2 id={tableHeading} className="kern-heading-medium" tabIndex={-1}>
          {folder ? t('docs.folder.content') : t('docs.folder.roots')}
        </h2>
        {load.error ? <ErrorAlert error={load.error} focus={false} /> : null}
        {entries.length === 0 ? (
          <Alert variant="info" title={folder ? t('docs.folder.empty') : t('docs.folder.noRoots')} live="status">
            {!folder && !isAdmin && <p className="kern-body">{t('docs.folder.noRootsHint')}</p>}
          </Alert>
        ) : (
          <>
            <p className="kern-body kern-body--small app-muted-line" id={`${tableHeading}-info`}>
              {t('docs.folder.count', { folders: t('docs.folder.nFolders', { count: subfolders.length }), documents: t('docs.folder.nDocuments', { count: docs.length }) })}
              {hasMore(cursors) ? ` ${t('docs.folder.sortLoadedOnly')}` : ''}
            </p>
            <Table
              labelledBy={tableHeading}
              describedBy={`${tableHeading}-info`}
              caption={t('docs.folder.caption', { name: title })}
              className="app-files"
              columns={[sortColumn('name', t('docs.col.name')), sortColumn('modified', t('docs.col.modified')), sortColumn('size', t('docs.col.size')), t('docs.col.type')]}
              actions
            >
              {entries.map((e) => (
                <Row key={`${e.kind}-${e.item.id}`} data-kind={e.kind} data-name={entryName(e)}>
                  <Cell>
                    <span className="app-file-name">
                      <span className={`kern-icon kern-icon--small kern-icon--${e.kind === 'folder' ? 'drive-folder-upload' : 'draft'}`} aria-hidden="true" />
                      <Link className="kern-link" to={e.kind === 'folder' ? folderHref(slug, e.item.id) : documentHref(slug, e.item.id)}>
                        {entryName(e)}
                      </Link>
                      {e.kind === 'document' && e.item.lock && <Badge variant="warning">{t('docs.badge.locked')}</Badge>}
                      {e.kind === 'document' && e.item.legal_hold && <Badge variant="info">{t('docs.badge.hold')}</Badge>}
                    </span>
                  </Cell>
                  <Cell>{formatDateTime(e.item.updated_at, lng)}</Cell>
                  <Cell>{e.kind === 'document' ? formatBytes(e.item.size_bytes, lng) : ''}</Cell>
                  <Cell>{e.kind === 'folder' ? t('docs.kind.folder') : typeLabel(e.item.content_type) || t('docs.kind.document')}</Cell>
                  <ActionCell>
                    {canMove(e) && (
                      <Button variant="secondary" small onClick={() => setPending({ kind: 'move', entry: e })}>
                        {t('docs.action.move')}
                        <span className="app-sr-only">: {entryName(e)}</span>
                      </Button>
                    )}
                    {canDelete(e) && (
                      <Button variant="secondary" small onClick={() => setPending({ kind: 'delete', entry: e })}>
                        {t('docs.action.delete')}
                        <span className="app-sr-only">: {entryName(e)}</span>
                      </Button>
                    )}
                  </ActionCell>
                </Row>
              ))}
            </Table>
          </>
        )}
        {hasMore(cursors) && (
          <div className="app-actions app-load-more">
            <Button variant="secondary" onClick={loadMore} busy={more.busy}>
              {t('docs.loadMore')}
            </Button>
          </div>
        )}
        <ErrorAlert error={more.error} />
        <p className="app-sr-only" role="status">
          {loadedMsg}
        </p>
      </section>

      <NameDialog
        open={pending?.kind === 'new-folder'}
        title={t('docs.folder.newTitle')}
        label={t('docs.folder.name')}
        submitLabel={t('docs.folder.create')}
        onClose={() => setPending(null)}
        onSubmit={async (name) => {
          const f = await call(api.POST('/api/v1/t/{tenant}/folders', { params: { path: { tenant: slug } }, body: { name, parent_id: folder?.id ?? null } }));
          cache.remember(f);
          setSubfolders((l) => mergeById(l ?? [], [f]));
          setNotice(t('docs.folder.created', { name: f.name }));
        }}
      />
      {folder && (
        <NameDialog
          open={pending?.kind === 'rename'}
          title={t('docs.folder.renameTitle')}
          label={t('docs.folder.name')}
          initial={folder.name}
          submitLabel={t('common.save')}
          onClose={() => setPending(null)}
          onSubmit={async (name) => {
            const f = await call(api.PATCH('/api/v1/t/{tenant}/folders/{id}', { params: { path: { tenant: slug, id: folder.id } }, body: { name } }));
            cache.remember(f);
            setFolder(f);
            setNotice(t('docs.folder.renamed', { name: f.name }));
          }}
        />
      )}
      <FolderPickerDialog
        open={pending?.kind === 'move'}
        title={pending?.kind === 'move' ? t('docs.picker.moveTitle', { name: entryName(pending.entry) }) : ''}
        confirmLabel={t('docs.picker.moveHere')}
        startFolderId={folder?.parent_id ?? folderId}
        exclude={pending?.kind === 'move' && pending.entry.kind === 'folder' ? pending.entry.item.id : undefined}
        allowRoot={isAdmin && pending?.kind === 'move' && pending.entry.kind === 'folder'}
        onClose={() => setPending(null)}
        onPick={async (target) => {
          if (pending?.kind !== 'move') return;
          if (folder && pending.entry.kind === 'folder' && pending.entry.item.id === folder.id) {
            await call(api.POST('/api/v1/t/{tenant}/folders/{id}/move', { params: { path: { tenant: slug, id: folder.id } }, body: { parent_id: target?.id ?? null } }));
            cache.forget(folder.id);
            const moved = await call(api.GET('/api/v1/t/{tenant}/folders/{id}', { params: { path: { tenant: slug, id: folder.id } } }));
            cache.remember(moved);
            navigate(folderHref(slug, folder.id), { replace: true, state: { notice: t('docs.folder.moved', { name: folder.name, target: target?.name ?? t('docs.picker.top') }) } });
            return;
          }
          await moveEntry(pending.entry, target);
        }}
      />
      {folder && can(access, 'manage') && <PermissionsDialog open={pending?.kind === 'permissions'} folder={folder} onClose={() => setPending(null)} />}
      {folder && (
        <RetentionDialog
          open={pending?.kind === 'retention'}
          folder={folder}
          onClose={() => setPending(null)}
          onSaved={(f) => {
            cache.remember(f);
            setFolder(f);
          }}
        />
      )}
      <ConfirmDialog
        open={pending?.kind === 'delete-self'}
        title={t('docs.folder.deleteTitle', { name: title })}
        confirmLabel={t('docs.action.toTrash')}
        onClose={() => setPending(null)}
        onConfirm={async () => {
          if (!folder) return;
          await call(api.DELETE('/api/v1/t/{tenant}/folders/{id}', { params: { path: { tenant: slug, id: folder.id } } }));
          cache.forget(folder.id);
          navigate(parentHref, { state: { notice: t('docs.folder.trashed', { name: folder.name }) } });
        }}
      >
        <p className="kern-body">{t('docs.folder.deleteText')}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={pending?.kind === 'delete'}
        title={pending?.kind === 'delete' ? t(pending.entry.kind === 'folder' ? 'docs.folder.deleteTitle' : 'docs.doc.deleteTitle', { name: entryName(pending.entry) }) : ''}
        confirmLabel={t('docs.action.toTrash')}
        onClose={() => setPending(null)}
        onConfirm={async () => {
          if (pending?.kind === 'delete') await deleteEntry(pending.entry);
        }}
      >
        <p className="kern-body">{pending?.kind === 'delete' && pending.entry.kind === 'folder' ? t('docs.folder.deleteText') : t('docs.doc.deleteText')}</p>
      </ConfirmDialog>
    </>
  );
}
