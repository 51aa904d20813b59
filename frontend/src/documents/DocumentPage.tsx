import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { api, call } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Dialog } from '../components/Dialog';
import { TextAreaField } from '../components/Field';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { requiredError } from '../lib/validation';
import { useDocs } from './context';
import { FolderPickerDialog } from './FolderPickerDialog';
import type { Notice } from './FolderPage';
import { MetadataForm } from './MetadataForm';
import { can, etag, formatBytes, typeLabel, type DocumentView, type RevisionView } from './model';
import { NewRevision } from './NewRevision';
import { Breadcrumbs, docsBase, documentHref, folderHref, usePersonName } from './parts';
import { Preview } from './Preview';
import { RevisionHistory } from './RevisionHistory';
import type { UploadResult } from './upload';

type Pending = 'move' | 'copy' | 'delete' | 'hold' | 'release' | null;

/** One document: status and actions, preview, metadata, new version, history. */
export function DocumentPage({ docId }: { docId: string }) {
  const { t, i18n } = useTranslation();
  const { slug, membershipId } = useDocs();
  const navigate = useNavigate();
  const location = useLocation();
  const person = usePersonName();
  const [doc, setDoc] = useState<DocumentView | null>(null);
  const [revisions, setRevisions] = useState<RevisionView[]>([]);
  const [notice, setNotice] = useState<string>((location.state as Notice | null)?.notice ?? '');
  const [pending, setPending] = useState<Pending>(null);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState('');
  const load = useAction();
  const act = useAction();
  const hold = useAction();
  const statusId = useId();
  const lng = i18n.language;
  const path = { tenant: slug, id: docId };

  const reload = useCallback(async () => {
    const res = await load.run(() =>
      Promise.all([
        call(api.GET('/api/v1/t/{tenant}/documents/{id}', { params: { path } })),
        call(api.GET('/api/v1/t/{tenant}/documents/{id}/revisions', { params: { path } })),
      ]),
    );
    if (res) {
      setDoc(res[0]);
      setRevisions(res[1].revisions ?? []);
    }
  }, [slug, docId]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void reload();
  }, [reload]);

  useEffect(() => {
    if ((location.state as Notice | null)?.notice) navigate(location.pathname, { replace: true, state: null });
  }, []); // eslint-disable-line react-hooks/exhaustive-deps

  const afterRevision = async (r: UploadResult, message?: string) => {
    setDoc(r.document);
    if (message) setNotice(message);
    const list = await call(api.GET('/api/v1/t/{tenant}/documents/{id}/revisions', { params: { path } })).catch(() => null);
    if (list) setRevisions(list.revisions ?? []);
  };

  if (!doc) {
    if (load.error) {
      return (
        <>
          <Breadcrumbs current={t('docs.doc.unavailable')} />
          <PageHeading title={t('docs.doc.unavailable')}>{t('docs.doc.unavailable')}</PageHeading>
          <ErrorAlert error={load.error} />
        </>
      );
    }
    return <Loading />;
  }

  const canWrite = can(doc.access, 'write');
  const canManage = can(doc.access, 'manage');
  const lock = doc.lock;
  const lockMine = Boolean(lock && membershipId && lock.owner_id === membershipId);
  const lockedByOther = Boolean(lock && !lockMine);

  const lockAction = async (kind: 'lock' | 'unlock') => {
    const d = await act.run(() =>
      kind === 'lock'
        ? call(api.POST('/api/v1/t/{tenant}/documents/{id}/lock', { params: { path }, body: {} }))
        : call(api.DELETE('/api/v1/t/{tenant}/documents/{id}/lock', { params: { path } })),
    );
    if (d) {
      setDoc(d);
      setNotice(kind === 'lock' ? t('docs.lock.done', { until: formatDateTime(d.lock?.expires_at, lng) }) : t('docs.lock.released'));
    }
  };

  const submitHold = async (e: FormEvent) => {
    e.preventDefault();
    const err = requiredError(reason);
    if (err) {
      setReasonError(t('docs.hold.reasonRequired'));
      document.getElementById('hold-reason')?.focus();
      return;
    }
    const d = await hold.run(() => call(api.PUT('/api/v1/t/{tenant}/documents/{id}/legal-hold', { params: { path }, body: { reason: reason.trim() } })));
    if (d) {
      setDoc(d);
      setPending(null);
      setNotice(t('docs.hold.set'));
    }
  };

  return (
    <>
      <Breadcrumbs folderId={doc.folder_id} current={doc.title} />
      <PageHeading title={doc.title}>{doc.title}</PageHeading>
      {notice && <Alert variant="success" title={notice} live="status" />}
      <ErrorAlert error={act.error} />

      <section className="app-doc-status" aria-labelledby={statusId}>
        <h2 id={statusId} className="app-sr-only">
          {t('docs.doc.status')}
        </h2>
        <div className="app-status-line">
          {doc.content_type && <Badge variant="info">{typeLabel(doc.content_type) || doc.content_type}</Badge>}
          {lock && <Badge variant="warning">{t('docs.badge.locked')}</Badge>}
          {doc.legal_hold && <Badge variant="danger">{t('docs.badge.hold')}</Badge>}
        </div>
        {lock && (
          <p className="kern-body" data-testid="lock-status">
            {lockMine
              ? t('docs.lock.mine', { until: formatDateTime(lock.expires_at, lng) })
              : t('docs.lock.other', { who: person(lock.owner_id), until: formatDateTime(lock.expires_at, lng) })}
          </p>
        )}
        {doc.legal_hold && (
          <p className="kern-body" data-testid="hold-status">
            {t('docs.hold.status', { since: formatDateTime(doc.legal_hold.set_at, lng), who: person(doc.legal_hold.set_by), reason: doc.legal_hold.reason })}
          </p>
        )}
        <div className="app-actions app-toolbar">
          {canWrite && !lock && (
            <Button variant="secondary" icon="edit" onClick={() => void lockAction('lock')} busy={act.busy}>
              {t('docs.lock.checkOut')}
            </Button>
          )}
          {lockMine && (
            <>
              <Button variant="secondary" icon="check" onClick={() => void lockAction('unlock')} busy={act.busy}>
                {t('docs.lock.checkIn')}
              </Button>
              <Button variant="tertiary" icon="autorenew" onClick={() => void lockAction('lock')} busy={act.busy}>
                {t('docs.lock.extend')}
              </Button>
            </>
          )}
          {lockedByOther && canManage && (
            <Button variant="secondary" onClick={() => void lockAction('unlock')} busy={act.busy}>
              {t('docs.lock.break')}
            </Button>
          )}
          {canWrite && (
            <Button variant="secondary" icon="arrow-forward" onClick={() => setPending('move')}>
              {t('docs.action.move')}
            </Button>
          )}
          <Button variant="secondary" icon="content-copy" onClick={() => setPending('copy')}>
            {t('docs.action.copy')}
          </Button>
          {canManage && !doc.legal_hold && (
            <Button
              variant="secondary"
              onClick={() => {
                setReason('');
                setReasonError('');
                hold.setError(null);
                setPending('hold');
              }}
            >
              {t('docs.hold.setButton')}
            </Button>
          )}
          {canManage && doc.legal_hold && (
            <Button variant="secondary" onClick={() => setPending('release')}>
              {t('docs.hold.clearButton')}
            </Button>
          )}
          {canWrite && (
            <Button variant="secondary" icon="delete" onClick={() => setPending('delete')}>
              {t('docs.action.delete')}
            </Button>
          )}
        </div>
        {lockedByOther && <p className="kern-body kern-body--muted">{t('docs.lock.otherHint')}</p>}
      </section>

      <Preview doc={doc} />

      <section className="app-section" aria-labelledby="doc-info-title">
        <h2 id="doc-info-title" className="kern-heading-medium">
          {t('docs.doc.info')}
        </h2>
        <dl className="kern-description-list app-doc-info">
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('docs.col.type')}</dt>
            <dd className="kern-description-list-item__value">{doc.content_type ?? t('docs.doc.noContent')}</dd>
          </div>
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('docs.col.size')}</dt>
            <dd className="kern-description-list-item__value">{formatBytes(doc.size_bytes, lng) || '—'}</dd>
          </div>
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('docs.doc.created')}</dt>
            <dd className="kern-description-list-item__value">
              {formatDateTime(doc.created_at, lng)} ({person(doc.created_by)})
            </dd>
          </div>
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('docs.col.modified')}</dt>
            <dd className="kern-description-list-item__value">
              {formatDateTime(doc.updated_at, lng)} ({person(doc.updated_by)})
            </dd>
          </div>
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('docs.doc.access')}</dt>
            <dd className="kern-description-list-item__value">{t(`docs.level.${doc.access}`)}</dd>
          </div>
        </dl>
      </section>

      <MetadataForm doc={doc} onSaved={setDoc} onReload={() => void reload()} />
      {canWrite && !lockedByOther && <NewRevision doc={doc} onUploaded={(r) => void afterRevision(r)} onReload={() => void reload()} />}
      <RevisionHistory doc={doc} revisions={revisions} onRestored={(r, from) => void afterRevision(r, t('docs.rev.restored', { from, n: r.revision.number }))} />

      <FolderPickerDialog
        open={pending === 'move' || pending === 'copy'}
        title={pending === 'copy' ? t('docs.picker.copyTitle', { name: doc.title }) : t('docs.picker.moveTitle', { name: doc.title })}
        confirmLabel={pending === 'copy' ? t('docs.picker.copyHere') : t('docs.picker.moveHere')}
        startFolderId={doc.folder_id}
        onClose={() => setPending(null)}
        onPick={async (target) => {
          if (!target) return;
          if (pending === 'copy') {
            const copy = await call(api.POST('/api/v1/t/{tenant}/documents/{id}/copy', { params: { path }, body: { folder_id: target.id } }));
            navigate(documentHref(slug, copy.id), { state: { notice: t('docs.doc.copied', { target: target.name }) } });
            return;
          }
          const d = await call(api.POST('/api/v1/t/{tenant}/documents/{id}/move', { params: { path, header: { 'If-Match': etag(doc.version) } }, body: { folder_id: target.id } }));
          setDoc(d);
          setNotice(t('docs.folder.moved', { name: d.title, target: target.name }));
        }}
      />
      <ConfirmDialog
        open={pending === 'delete'}
        title={t('docs.doc.deleteTitle', { name: doc.title })}
        confirmLabel={t('docs.action.toTrash')}
        onClose={() => setPending(null)}
        onConfirm={async () => {
          await call(api.DELETE('/api/v1/t/{tenant}/documents/{id}', { params: { path, header: { 'If-Match': etag(doc.version) } } }));
          navigate(doc.folder_id ? folderHref(slug, doc.folder_id) : docsBase(slug), { state: { notice: t('docs.folder.trashed', { name: doc.title }) } });
        }}
      >
        <p className="kern-body">{t('docs.doc.deleteText')}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={pending === 'release'}
        title={t('docs.hold.clearTitle')}
        confirmLabel={t('docs.hold.clearButton')}
        onClose={() => setPending(null)}
        onConfirm={async () => {
          const d = await call(api.DELETE('/api/v1/t/{tenant}/documents/{id}/legal-hold', { params: { path } }));
          setDoc(d);
          setNotice(t('docs.hold.cleared'));
        }}
      >
        <p className="kern-body">{t('docs.hold.clearText')}</p>
      </ConfirmDialog>
      <Dialog open={pending === 'hold'} title={t('docs.hold.setTitle')} onClose={() => setPending(null)}>
        <ErrorAlert error={hold.error} />
        <form className="app-form" onSubmit={submitHold} noValidate>
          <p className="kern-body">{t('docs.hold.setText')}</p>
          <TextAreaField id="hold-reason" label={t('docs.hold.reason')} rows={3} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} error={reasonError} required />
          <div className="app-actions">
            <Button type="submit" busy={hold.busy}>
              {t('docs.hold.setButton')}
            </Button>
            <Button variant="secondary" onClick={() => setPending(null)}>
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
