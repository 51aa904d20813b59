import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { Pager } from '../components/Pager';
import { ActionCell, Cell, Row, Table } from '../components/Table';
import { formatDate, formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { useCursorPages } from '../lib/useCursorPages';
import { useDocs } from './context';
import { focusSoon } from './FolderPage';
import type { TrashItemView } from './model';
import { documentHref, folderHref, FolderPath, usePersonName } from './parts';

const PAGE_SIZE = 50;

/** The trash: what the person deleted (or may manage), restore, delete for good, empty. */
export function TrashPage() {
  const { t, i18n } = useTranslation();
  const { slug } = useDocs();
  const person = usePersonName();
  const [items, setItems] = useState<TrashItemView[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | undefined>();
  const [notice, setNotice] = useState<{ text: string; link?: { href: string; label: string } } | null>(null);
  const [purging, setPurging] = useState<TrashItemView | null>(null);
  const [emptying, setEmptying] = useState(false);
  const pages = useCursorPages<string>();
  const load = useAction();
  const act = useAction();
  const headingId = useId();
  const lng = i18n.language;

  const reload = useCallback(async () => {
    const res = await load.run(() =>
      call(api.GET('/api/v1/t/{tenant}/trash', { params: { path: { tenant: slug }, query: { limit: PAGE_SIZE, ...(pages.cursor ? { cursor: pages.cursor } : {}) } } })),
    );
    if (res) {
      setItems(res.items ?? []);
      setNextCursor(res.next_cursor || undefined);
    }
  }, [slug, pages.cursor]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void reload();
  }, [reload]);

  const drop = (it: TrashItemView) => setItems((l) => (l ?? []).filter((x) => x.id !== it.id));

  const restore = async (it: TrashItemView) => {
    const ok = await act.run(async () => {
      if (it.kind === 'folder') await call(api.POST('/api/v1/t/{tenant}/folders/{id}/restore', { params: { path: { tenant: slug, id: it.id } } }));
      else await call(api.POST('/api/v1/t/{tenant}/documents/{id}/restore', { params: { path: { tenant: slug, id: it.id } } }));
      return true;
    });
    if (!ok) return;
    drop(it);
    setNotice({
      text: t('docs.trash.restored', { name: it.name }),
      link: { href: it.kind === 'folder' ? folderHref(slug, it.id) : documentHref(slug, it.id), label: t('docs.trash.openRestored', { name: it.name }) },
    });
    focusSoon(headingId);
  };

  const purge = async (it: TrashItemView) => {
    if (it.kind === 'folder') await call(api.POST('/api/v1/t/{tenant}/folders/{id}/purge', { params: { path: { tenant: slug, id: it.id } } }));
    else await call(api.POST('/api/v1/t/{tenant}/documents/{id}/purge', { params: { path: { tenant: slug, id: it.id } } }));
    drop(it);
    setNotice({ text: t('docs.trash.purged', { name: it.name }) });
    focusSoon(headingId);
  };

  const empty = async () => {
    let documents = 0;
    let folders = 0;
    for (let i = 0; i < 50; i++) {
      const r = await call(api.POST('/api/v1/t/{tenant}/trash/empty', { params: { path: { tenant: slug } } }));
      documents += r.documents.length;
      folders += r.folders.length;
      if (!r.more) break;
    }
    setNotice({ text: documents + folders === 0 ? t('docs.trash.nothingDue') : t('docs.trash.emptied', { documents, folders }) });
    pages.reset();
    await reload();
    focusSoon(headingId);
  };

  return (
    <>
      <PageHeading title={t('docs.trash.title')} sub={t('docs.trash.lead')}>
        {t('docs.trash.title')}
      </PageHeading>
      {notice && (
        <Alert variant="success" title={notice.text} live="status">
          {notice.link && (
            <p className="kern-body">
              <Link className="kern-link" to={notice.link.href}>
                {notice.link.label}
              </Link>
            </p>
          )}
        </Alert>
      )}
      <ErrorAlert error={act.error} />
      <section className="app-section" aria-labelledby={headingId}>
        <h2 id={headingId} className="kern-heading-medium" tabIndex={-1}>
          {t('docs.trash.items')}
        </h2>
        {items && items.length > 0 && (
          <div className="app-actions">
            <Button variant="secondary" icon="delete" onClick={() => setEmptying(true)}>
              {t('docs.trash.empty')}
            </Button>
          </div>
        )}
        <ErrorAlert error={load.error} focus={false} />
        {!items && !load.error && <Loading />}
        {items && (
          <Table
            empty={<Alert variant="info" title={t('docs.trash.none')} live="status" />}
            labelledBy={headingId}
            caption={t('docs.trash.caption', { page: pages.page })}
            className="app-trash"
            columns={[t('docs.col.name'), t('docs.trash.origin'), t('docs.trash.deleted'), t('docs.trash.purgeable')]}
            actions
          >
            {items.map((it) => {
              const due = Date.parse(it.purgeable_at) <= Date.now();
              return (
                <Row key={`${it.kind}-${it.id}`} data-name={it.name} data-kind={it.kind}>
                  <Cell>
                    <span className="app-file-name">
                      <span className={`kern-icon kern-icon--small kern-icon--${it.kind === 'folder' ? 'drive-folder-upload' : 'draft'}`} aria-hidden="true" />
                      <span>
                        {it.name}
                        <span className="app-muted-line">{t(`docs.kind.${it.kind}`)}</span>
                      </span>
                      {it.legal_hold && <Badge variant="danger">{t('docs.badge.hold')}</Badge>}
                    </span>
                  </Cell>
                  <Cell>{it.parent_id ? <FolderPath folderId={it.parent_id} /> : t('docs.picker.top')}</Cell>
                  <Cell>
                    {formatDateTime(it.deleted_at, lng)}
                    {it.deleted_by && <span className="app-muted-line">{t('docs.trash.by', { who: person(it.deleted_by) })}</span>}
                  </Cell>
                  <Cell>
                    {it.legal_hold ? t('docs.trash.held') : due ? t('docs.trash.now') : formatDate(it.purgeable_at, lng)}
                    <span className="app-muted-line">{t('docs.trash.retention', { count: it.retention_days })}</span>
                  </Cell>
                  <ActionCell>
                    <Button variant="secondary" small icon="autorenew" onClick={() => void restore(it)} busy={act.busy}>
                      {t('docs.trash.restore')}
                      <span className="app-sr-only">: {it.name}</span>
                    </Button>
                    <Button variant="secondary" small icon="delete" onClick={() => setPurging(it)}>
                      {t('docs.trash.purge')}
                      <span className="app-sr-only">: {it.name}</span>
                    </Button>
                  </ActionCell>
                </Row>
              );
            })}
          </Table>
        )}
        <Pager page={pages.page} hasNext={nextCursor !== undefined} onPrev={pages.prev} onNext={() => pages.next(nextCursor)} label={t('docs.trash.pager')} />
      </section>
      <ConfirmDialog
        open={purging !== null}
        title={t('docs.trash.purgeTitle', { name: purging?.name ?? '' })}
        confirmLabel={t('docs.trash.purge')}
        onClose={() => setPurging(null)}
        onConfirm={async () => {
          if (purging) await purge(purging);
        }}
      >
        <p className="kern-body">{purging?.kind === 'folder' ? t('docs.trash.purgeFolderText') : t('docs.trash.purgeText')}</p>
      </ConfirmDialog>
      <ConfirmDialog open={emptying} title={t('docs.trash.emptyTitle')} confirmLabel={t('docs.trash.empty')} onClose={() => setEmptying(false)} onConfirm={empty}>
        <p className="kern-body">{t('docs.trash.emptyText')}</p>
      </ConfirmDialog>
    </>
  );
}
