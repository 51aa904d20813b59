import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { isApiError } from '../api/problem';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { SelectField, TextField } from '../components/Field';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { Pager } from '../components/Pager';
import { formatDate } from '../lib/format';
import { useCursorPages } from '../lib/useCursorPages';
import { useDocs } from './context';
import { FolderPickerDialog } from './FolderPickerDialog';
import { formatBytes, typeLabel } from './model';
import { documentHref, FolderPath, useTrail } from './parts';
import { filtersFromParams, filtersToParams, searchDocuments, type SearchFilters, type SearchHit } from './searchApi';
import { Snippet } from './snippet';

const TYPES = [
  { value: '', label: 'docs.search.typeAll' },
  { value: 'application/pdf', label: 'docs.search.typePdf' },
  { value: 'image/', label: 'docs.search.typeImage' },
  { value: 'text/', label: 'docs.search.typeText' },
  { value: 'application/vnd.openxmlformats-officedocument', label: 'docs.search.typeOffice' },
  { value: 'application/vnd.oasis.opendocument', label: 'docs.search.typeOdf' },
] as const;

function FolderFilterName({ id }: { id: string }) {
  const { trail } = useTrail(id);
  return <>{trail.length ? trail.map((c) => c.name).join(' › ') : '…'}</>;
}

/** Full-text search with filters; hits show their folder and a snippet with the matches marked. */
export function SearchPage() {
  const { t, i18n } = useTranslation();
  const { slug } = useDocs();
  const [params, setParams] = useSearchParams();
  const applied = filtersFromParams(params);
  const [draft, setDraft] = useState<SearchFilters>(applied);
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | undefined>();
  const [qError, setQError] = useState('');
  const [rangeError, setRangeError] = useState('');
  const [picking, setPicking] = useState(false);
  // Searching again with the same words runs the search again (new documents may match).
  const [round, setRound] = useState(0);
  const pages = useCursorPages<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const resultsId = useId();
  const lng = i18n.language;
  const key = params.toString();

  useEffect(() => {
    setDraft(filtersFromParams(params));
    pages.reset();
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (!applied.q.trim()) {
      setHits(null);
      return;
    }
    let live = true;
    setBusy(true);
    setError(null);
    searchDocuments(slug, applied, pages.cursor)
      .then((page) => {
        if (!live) return;
        setHits(page.hits);
        setNextCursor(page.next_cursor);
      })
      .catch((e) => live && (setError(e), setHits(null)))
      .finally(() => live && setBusy(false));
    return () => {
      live = false;
    };
  }, [key, pages.cursor, slug, round]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!draft.q.trim()) {
      setQError(t('docs.search.qRequired'));
      document.getElementById('search-q')?.focus();
      return;
    }
    if (draft.from && draft.to && draft.to < draft.from) {
      setRangeError(t('docs.search.rangeError'));
      document.getElementById('search-to')?.focus();
      return;
    }
    setQError('');
    setRangeError('');
    setParams(filtersToParams(draft));
    setRound((r) => r + 1);
  };

  const unavailable = isApiError(error) && error.status === 404 && !applied.folder;

  return (
    <>
      <PageHeading title={applied.q ? t('docs.search.titleFor', { q: applied.q }) : t('docs.search.title')} sub={t('docs.search.lead')}>
        {t('docs.search.title')}
      </PageHeading>
      <form className="app-search" role="search" aria-label={t('docs.search.formLabel')} onSubmit={submit} noValidate>
        <div className="app-search__main">
          <TextField
            id="search-q"
            type="search"
            label={t('docs.search.q')}
            hint={t('docs.search.qHint')}
            maxLength={200}
            value={draft.q}
            error={qError}
            onChange={(e) => setDraft({ ...draft, q: e.target.value })}
          />
          <Button type="submit" icon="search" busy={busy}>
            {t('docs.search.submit')}
          </Button>
        </div>
        <fieldset className="kern-fieldset app-filters app-search__filters">
          <legend className="kern-label app-search__legend">{t('docs.search.filters')}</legend>
          <div className="kern-form-input app-search__folder">
            <span className="kern-label" id="search-folder-label">
              {t('docs.search.folder')}
            </span>
            <p className="kern-body" id="search-folder-value">
              {draft.folder ? <FolderFilterName id={draft.folder} /> : t('docs.search.allFolders')}
            </p>
            <span className="app-row-actions">
              <Button variant="secondary" small onClick={() => setPicking(true)} aria-describedby="search-folder-label search-folder-value">
                {t('docs.search.chooseFolder')}
              </Button>
              {draft.folder && (
                <Button variant="tertiary" small onClick={() => setDraft({ ...draft, folder: '' })}>
                  {t('docs.search.clearFolder')}
                </Button>
              )}
            </span>
          </div>
          <TextField id="search-tags" label={t('docs.meta.tags')} hint={t('docs.meta.tagsHint')} value={draft.tags} onChange={(e) => setDraft({ ...draft, tags: e.target.value })} />
          <SelectField id="search-type" label={t('docs.col.type')} value={draft.type} onChange={(e) => setDraft({ ...draft, type: e.target.value })}>
            {TYPES.map((o) => (
              <option key={o.value} value={o.value}>
                {t(o.label)}
              </option>
            ))}
          </SelectField>
          <TextField id="search-ref" label={t('docs.meta.filePlanRef')} hint={t('docs.search.refHint')} maxLength={200} value={draft.ref} onChange={(e) => setDraft({ ...draft, ref: e.target.value })} />
          <TextField id="search-from" type="date" label={t('docs.search.from')} value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
          <TextField id="search-to" type="date" label={t('docs.search.to')} value={draft.to} error={rangeError} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </fieldset>
      </form>

      <section className="app-section" aria-labelledby={resultsId}>
        <h2 id={resultsId} className="kern-heading-medium">
          {t('docs.search.results')}
        </h2>
        {unavailable ? (
          <Alert variant="info" title={t('docs.search.unavailableTitle')} live="status">
            <p className="kern-body">{t('docs.search.unavailableText')}</p>
          </Alert>
        ) : (
          <ErrorAlert error={error} focus={false} />
        )}
        {!applied.q && <p className="kern-body kern-body--muted">{t('docs.search.empty')}</p>}
        {applied.q && busy && !hits && <Loading />}
        {applied.q && hits && hits.length === 0 && !busy && <Alert variant="info" title={t('docs.search.noHits', { q: applied.q })} live="status" />}
        {hits && hits.length > 0 && (
          <>
            <p className="kern-body app-muted-line" role="status">
              {t(nextCursor ? 'docs.search.countMore' : 'docs.search.count', { count: hits.length, page: pages.page })}
            </p>
            <ol className="app-hits" aria-label={t('docs.search.hitsLabel')}>
              {hits.map((h) => (
                <li key={h.document_id} className="app-hit" data-testid="search-hit">
                  <h3 className="kern-heading-small app-hit__title">
                    <Link className="kern-link" to={documentHref(slug, h.document_id)}>
                      {h.title}
                    </Link>
                  </h3>
                  <p className="kern-body kern-body--small app-hit__meta">
                    {h.folder_id && (
                      <>
                        <span className="app-sr-only">{t('docs.search.inFolder')} </span>
                        <FolderPath folderId={h.folder_id} />
                      </>
                    )}
                    {h.content_type && <span> · {typeLabel(h.content_type)}</span>}
                    {h.size_bytes !== undefined && <span> · {formatBytes(h.size_bytes, lng)}</span>}
                    {h.updated_at && <span> · {t('docs.search.modified', { date: formatDate(h.updated_at, lng) })}</span>}
                  </p>
                  <Snippet snippet={h.snippet} />
                </li>
              ))}
            </ol>
          </>
        )}
        <Pager page={pages.page} hasNext={nextCursor !== undefined} onPrev={pages.prev} onNext={() => pages.next(nextCursor)} label={t('docs.search.pager')} />
      </section>
      <FolderPickerDialog
        open={picking}
        title={t('docs.search.chooseFolderTitle')}
        confirmLabel={t('docs.search.useFolder')}
        startFolderId={draft.folder || undefined}
        onClose={() => setPicking(false)}
        onPick={async (f) => setDraft((d) => ({ ...d, folder: f?.id ?? '' }))}
      />
    </>
  );
}
