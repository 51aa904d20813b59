import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { TextField } from '../components/Field';
import { ActionCell, Cell, Row, RowHeader, Table } from '../components/Table';
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
        <Table
          labelledBy={headingId}
          caption={t('docs.rev.caption', { name: doc.title })}
          className="app-revisions"
          columns={[t('docs.rev.number'), t('docs.rev.date'), t('docs.rev.author'), t('docs.col.size'), t('docs.rev.comment'), t('docs.rev.hash')]}
          actions
        >
          {revisions.map((r) => {
            const current = r.id === doc.current_revision_id;
            const from = r.restored_from ? numberOf(r.restored_from) : undefined;
            return (
              <Row key={r.id} data-revision={r.number}>
                <RowHeader>
                  {r.number}
                  {current && <span className="app-muted-line">{t('docs.rev.current')}</span>}
                  {r.extraction === 'not_extractable' && <span className="app-muted-line">{t('docs.rev.notExtractable')}</span>}
                  {r.extraction === 'failed' && <span className="app-muted-line">{t('docs.rev.extractionFailed')}</span>}
                </RowHeader>
                <Cell>{formatDateTime(r.created_at, lng)}</Cell>
                <Cell>{r.author_name || memberName(r.created_by)}</Cell>
                <Cell>{formatBytes(r.size_bytes, lng)}</Cell>
                <Cell>
                  {r.comment}
                  {from !== undefined && <span className="app-muted-line">{t('docs.rev.restoredFrom', { n: from })}</span>}
                </Cell>
                <Cell>
                  <code className="app-hash" title={r.sha256}>
                    {shortHash(r.sha256)}
                  </code>
                  <span className="app-sr-only">{t('docs.rev.hashShort')}</span>
                </Cell>
                <ActionCell>
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
                </ActionCell>
              </Row>
            );
          })}
        </Table>
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
