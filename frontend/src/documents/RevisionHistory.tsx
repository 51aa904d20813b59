import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { TextField } from '../components/Field';
import { formatDateTime } from '../lib/format';
import { useDocs } from './context';
import { can, contentURL, etag, formatBytes, shortHash, type DocumentView, type RevisionView } from './model';
import { useMemberName } from './parts';
import type { UploadResult } from './upload';

/** The revision history, newest first, with download and restore. */
export function RevisionHistory({ doc, revisions, onRestored }: { doc: DocumentView; revisions: RevisionView[]; onRestored: (r: UploadResult, from: number) => void }) {
  const { t, i18n } = useTranslation();
  const { slug } = useDocs();
  // The server names the author; an account it could not name is looked up in the directory.
  const memberName = useMemberName();
  const headingId = useId();
  const [restoring, setRestoring] = useState<RevisionView | null>(null);
  const [comment, setComment] = useState('');
  const lng = i18n.language;
  const numberOf = (id: string | undefined) => revisions.find((r) => r.id === id)?.number;

  return (
    <section className="app-section" aria-labelledby={headingId}>
      <h2 id={headingId} className="kern-heading-medium" tabIndex={-1}>
        {t('docs.rev.title')}
      </h2>
      {revisions.length === 0 ? (
        <p className="kern-body">{t('docs.rev.none')}</p>
      ) : (
        <div className="kern-table-responsive app-table-wrap" tabIndex={0} role="region" aria-labelledby={headingId}>
          <table className="kern-table kern-table--small app-revisions">
            <caption className="app-sr-only">{t('docs.rev.caption', { name: doc.title })}</caption>
            <thead className="kern-table__header">
              <tr className="kern-table__row">
                <th scope="col" className="kern-table__header">{t('docs.rev.number')}</th>
                <th scope="col" className="kern-table__header">{t('docs.rev.date')}</th>
                <th scope="col" className="kern-table__header">{t('docs.rev.author')}</th>
                <th scope="col" className="kern-table__header">{t('docs.col.size')}</th>
                <th scope="col" className="kern-table__header">{t('docs.rev.comment')}</th>
                <th scope="col" className="kern-table__header">{t('docs.rev.hash')}</th>
                <th scope="col" className="kern-table__header">
                  <span className="app-sr-only">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody className="kern-table__body">
              {revisions.map((r) => {
                const current = r.id === doc.current_revision_id;
                const from = r.restored_from ? numberOf(r.restored_from) : undefined;
                return (
                  <tr key={r.id} className="kern-table__row" data-revision={r.number}>
                    <th scope="row" className="kern-table__cell">
                      {r.number}
                      {current && <span className="app-muted-line">{t('docs.rev.current')}</span>}
                      {r.extraction === 'not_extractable' && <span className="app-muted-line">{t('docs.rev.notExtractable')}</span>}
                      {r.extraction === 'failed' && <span className="app-muted-line">{t('docs.rev.extractionFailed')}</span>}
                    </th>
                    <td className="kern-table__cell">{formatDateTime(r.created_at, lng)}</td>
                    <td className="kern-table__cell">{r.author_name || memberName(r.created_by)}</td>
                    <td className="kern-table__cell">{formatBytes(r.size_bytes, lng)}</td>
                    <td className="kern-table__cell">
                      {r.comment}
                      {from !== undefined && <span className="app-muted-line">{t('docs.rev.restoredFrom', { n: from })}</span>}
                    </td>
                    <td className="kern-table__cell">
                      <code className="app-hash" title={r.sha256}>
                        {shortHash(r.sha256)}
                      </code>
                      <span className="app-sr-only">{t('docs.rev.hashShort')}</span>
                    </td>
                    <td className="kern-table__cell kern-table__cell--action">
                      <span className="app-row-actions">
                        <a className="kern-link" href={contentURL(slug, doc.id, { revision: r.id })} download>
                          {t('docs.rev.download')}
                          <span className="app-sr-only"> {t('docs.rev.numberLabel', { n: r.number })}</span>
                        </a>
                        {!current && can(doc.access, 'write') && (
                          <Button
                            variant="secondary"
                            small
                            onClick={() => {
                              setComment('');
                              setRestoring(r);
                            }}
                          >
                            {t('docs.rev.restore')}
                            <span className="app-sr-only"> {t('docs.rev.numberLabel', { n: r.number })}</span>
                          </Button>
                        )}
                      </span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <ConfirmDialog
        open={restoring !== null}
        title={t('docs.rev.restoreTitle', { n: restoring?.number ?? '' })}
        confirmLabel={t('docs.rev.restoreConfirm')}
        onClose={() => setRestoring(null)}
        onConfirm={async () => {
          if (!restoring) return;
          const res = await call(
            api.POST('/api/v1/t/{tenant}/documents/{id}/revisions/{revision}/restore', {
              params: { path: { tenant: slug, id: doc.id, revision: restoring.id }, header: { 'If-Match': etag(doc.version) } },
              body: comment.trim() ? { comment: comment.trim() } : {},
            }),
          );
          onRestored(res, restoring.number);
          setTimeout(() => document.getElementById(headingId)?.focus(), 60);
        }}
      >
        <p className="kern-body">{t('docs.rev.restoreText', { n: restoring?.number ?? '' })}</p>
        <TextField id="restore-comment" label={t('docs.rev.comment')} optional maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
      </ConfirmDialog>
    </section>
  );
}
