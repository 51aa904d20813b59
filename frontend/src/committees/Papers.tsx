// Session papers: documents attached to an agenda item, frozen at their current revision
// when the invitation goes out. Their titles and revision numbers come from the document
// store (as far as the reader may read the document).
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { isApiError } from '../api/problem';
import { ErrorAlert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { Button } from '../components/Button';
import { Dialog } from '../components/Dialog';
import { TextField } from '../components/Field';
import { Loading } from '../components/Loading';
import { contentURL, typeLabel } from '../documents/model';
import { documentHref } from '../documents/parts';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import type { Paper } from './model';
import { useCommitteesCtx } from './parts';

interface PaperInfo {
  title: string;
  contentType?: string;
  /** The frozen revision's number, when frozen and readable. */
  revision?: number;
}

/** Titles and revision numbers, asked for once per document and revision for the page's life. */
const infoCache = new Map<string, Promise<PaperInfo | null>>();

function paperInfo(slug: string, p: Paper): Promise<PaperInfo | null> {
  const key = `${slug}:${p.document_id}:${p.revision_id ?? ''}`;
  let v = infoCache.get(key);
  if (!v) {
    const path = { tenant: slug, id: p.document_id };
    v = (async () => {
      try {
        const doc = await call(api.GET('/api/v1/t/{tenant}/documents/{id}', { params: { path } }));
        let revision: number | undefined;
        if (p.revision_id) {
          const revs = await call(api.GET('/api/v1/t/{tenant}/documents/{id}/revisions', { params: { path } }));
          revision = revs.revisions.find((r) => r.id === p.revision_id)?.number;
        }
        return { title: doc.title, contentType: doc.content_type, revision };
      } catch (e) {
        if (isApiError(e) && (e.status === 403 || e.status === 404)) return null;
        infoCache.delete(key);
        throw e;
      }
    })();
    infoCache.set(key, v);
  }
  return v;
}

function PaperRow({ paper, canDetach, onDetach }: { paper: Paper; canDetach: boolean; onDetach: (p: Paper, title: string) => void }) {
  const { t } = useTranslation();
  const { slug } = useCommitteesCtx();
  const [info, setInfo] = useState<PaperInfo | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    paperInfo(slug, paper)
      .then((i) => live && setInfo(i))
      .catch(() => live && setInfo(null));
    return () => {
      live = false;
    };
  }, [slug, paper]);
  if (info === undefined) return <li className="app-paper">{t('common.loading')}</li>;
  if (info === null) return <li className="app-paper app-muted-line">{t('committees.papers.noAccess')}</li>;
  const kind = typeLabel(info.contentType);
  return (
    <li className="app-paper" data-paper={info.title}>
      <span className="kern-icon kern-icon--draft kern-icon--small" aria-hidden="true" />
      <span className="app-paper__main">
        <Link className="kern-link" to={documentHref(slug, paper.document_id)}>
          {info.title}
        </Link>
        {kind && <span className="app-muted-line">{kind}</span>}
      </span>
      {paper.revision_id ? (
        <>
          <Badge variant="success">{info.revision ? t('committees.papers.frozen', { number: info.revision }) : t('committees.papers.frozenUnknown')}</Badge>
          <a className="kern-link" href={contentURL(slug, paper.document_id, { revision: paper.revision_id })}>
            {t('committees.papers.download')}
            <span className="app-sr-only">: {info.title}</span>
          </a>
        </>
      ) : (
        <Badge variant="info">{t('committees.papers.notFrozen')}</Badge>
      )}
      {canDetach && (
        <Button variant="tertiary" small onClick={() => onDetach(paper, info.title)}>
          {t('committees.papers.detach')}
          <span className="app-sr-only">: {info.title}</span>
        </Button>
      )}
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
