// Session papers: documents attached to an agenda item, frozen at their current revision
// when the invitation goes out. Attaching a paper grants its frozen revision to everyone
// who sees the item, whatever the document's folder allows: the list says what it is and
// the meeting page's preview shows it (through the agenda item's own content address).
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { Button } from '../components/Button';
import { Dialog } from '../components/Dialog';
import { TextField } from '../components/Field';
import { Loading } from '../components/Loading';
import { formatBytes, typeLabel } from '../documents/model';
import { documentHref } from '../documents/parts';
import { FilePreview } from '../documents/Preview';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { paperContentURL, type Paper } from './model';
import { useCommitteesCtx } from './parts';

function PaperRow({ paper, canDetach, onDetach }: { paper: Paper; canDetach: boolean; onDetach: (p: Paper, title: string) => void }) {
  const { t, i18n } = useTranslation();
  const { slug } = useCommitteesCtx();
  const [showing, setShowing] = useState(false);
  const previewId = useId();
  const title = paper.title || t('committees.papers.untitled');
  const file = paper.file;
  const kind = typeLabel(file?.content_type);
  const readable = !!file && file.available;
  const url = (inline: boolean) => paperContentURL(slug, paper.agenda_item_id, paper.document_id, inline);
  return (
    <li className="app-paper-entry" data-paper={title} data-document={paper.document_id}>
      <div className="app-paper">
        <span className="kern-icon kern-icon--draft kern-icon--small" aria-hidden="true" />
        <span className="app-paper__main">
          {paper.can_open_document ? (
            <Link className="kern-link" to={documentHref(slug, paper.document_id)}>
              {title}
            </Link>
          ) : (
            <span className="kern-body">{title}</span>
          )}
          {(kind || file) && <span className="app-muted-line">{[kind, file ? formatBytes(file.size_bytes, i18n.language) : ''].filter(Boolean).join(' · ')}</span>}
        </span>
        {file ? (
          <Badge variant="success">{t('committees.papers.frozen', { number: file.number })}</Badge>
        ) : (
          <Badge variant="info">{t('committees.papers.notFrozen')}</Badge>
        )}
        {readable && (
          <>
            <Button variant="secondary" small icon={showing ? 'visibility-off' : 'visibility'} aria-expanded={showing} aria-controls={previewId} onClick={() => setShowing((v) => !v)}>
              {showing ? t('committees.papers.hide') : t('committees.papers.show')}
              <span className="app-sr-only">: {title}</span>
            </Button>
            <a className="kern-link" href={url(false)}>
              {t('committees.papers.download')}
              <span className="app-sr-only">: {title}</span>
            </a>
          </>
        )}
        {canDetach && (
          <Button variant="tertiary" small onClick={() => onDetach(paper, title)}>
            {t('committees.papers.detach')}
            <span className="app-sr-only">: {title}</span>
          </Button>
        )}
      </div>
      {file && !file.available && <p className="kern-body kern-body--small app-muted-line">{t('committees.papers.trashed')}</p>}
      {!file && !paper.can_open_document && <p className="kern-body kern-body--small app-muted-line">{t('committees.papers.readableFromInvitation')}</p>}
      <div id={previewId} hidden={!showing}>
        {showing && readable && (
          <FilePreview
            headingLevel={5}
            heading={t('committees.papers.previewTitle', { title })}
            file={{ revision: file.revision_id, title, contentType: file.content_type, src: url(true), downloadHref: url(false) }}
          />
        )}
      </div>
    </li>
  );
}

/** The papers of one item. */
export function PaperList({ papers, canDetach, onDetach }: { papers: Paper[]; canDetach: boolean; onDetach: (p: Paper, title: string) => void }) {
  const { t } = useTranslation();
  if (papers.length === 0) return <p className="kern-body kern-body--muted">{t('committees.papers.none')}</p>;
  return (
    <ul className="app-papers">
      {papers.map((p) => (
        <PaperRow key={p.id} paper={p} canDetach={canDetach} onDetach={onDetach} />
      ))}
    </ul>
  );
}

type Hit = { id: string; title: string; contentType?: string; updatedAt: string };

/**
 * Finds a document to attach as a session paper: a search of the documents the person may
 * read (titles and text), each hit with its own "attach" button.
 */
export function PaperPickerDialog({ open, itemTitle, onClose, onPick }: { open: boolean; itemTitle: string; onClose: () => void; onPick: (documentId: string, title: string) => Promise<unknown> }) {
  const { t, i18n } = useTranslation();
  const { slug } = useCommitteesCtx();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [status, setStatus] = useState('');
  const search = useAction();
  const pick = useAction();

  useEffect(() => {
    if (!open) return;
    setQ('');
    setHits(null);
    setStatus('');
    search.setError(null);
    pick.setError(null);
  }, [open]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!q.trim()) return;
    const res = await search.run(() => call(api.GET('/api/v1/t/{tenant}/search', { params: { path: { tenant: slug }, query: { q: q.trim(), limit: 20 } } })));
    if (!res) return;
    const list = res.hits.map((h) => ({ id: h.document_id, title: h.title, contentType: h.content_type, updatedAt: h.updated_at }));
    setHits(list);
    setStatus(list.length ? t('committees.papers.found', { count: list.length }) : t('committees.papers.notFound', { q: q.trim() }));
  };

  const attach = async (h: Hit) => {
    const ok = await pick.run(async () => {
      await onPick(h.id, h.title);
      return true;
    });
    if (ok) onClose();
  };

  return (
    <Dialog open={open} title={t('committees.papers.attachTitle', { title: itemTitle })} onClose={onClose}>
      <ErrorAlert error={pick.error} />
      <form className="app-form app-form--inline" onSubmit={submit} role="search" noValidate>
        <TextField id="paper-search" type="search" label={t('committees.papers.search')} hint={t('committees.papers.searchHint')} value={q} onChange={(e) => setQ(e.target.value)} autoFocus />
        <div className="app-actions">
          <Button type="submit" variant="secondary" icon="search" busy={search.busy}>
            {t('committees.papers.searchButton')}
          </Button>
        </div>
      </form>
      <ErrorAlert error={search.error} focus={false} />
      <p className="app-sr-only" role="status">
        {status}
      </p>
      {search.busy && !hits && <Loading inline />}
      {hits && hits.length === 0 && <p className="kern-body kern-body--muted">{status}</p>}
      {hits && hits.length > 0 && (
        <ul className="app-picker" aria-label={t('committees.papers.results')}>
          {hits.map((h) => (
            <li key={h.id} className="app-paper">
              <span className="app-paper__main">
                <span className="kern-body">{h.title}</span>
                <span className="app-muted-line">
                  {[typeLabel(h.contentType), formatDateTime(h.updatedAt, i18n.language)].filter(Boolean).join(' · ')}
                </span>
              </span>
              <Button variant="secondary" small onClick={() => void attach(h)} busy={pick.busy}>
                {t('committees.papers.attach')}
                <span className="app-sr-only">: {h.title}</span>
              </Button>
            </li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}
