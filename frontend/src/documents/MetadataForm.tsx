import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { isApiError } from '../api/problem';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { TextAreaField, TextField } from '../components/Field';
import { useAction } from '../lib/useAction';
import { useFieldErrors } from '../lib/useFieldErrors';
import { requiredError } from '../lib/validation';
import { useDocs } from './context';
import { etag, metadataRows, parseTags, rowsToMetadata, type DocumentView, type MetaRow } from './model';

const FIELDS = ['title', 'description', 'file_plan_ref', 'tags', 'metadata'] as const;
const fieldId = (f: (typeof FIELDS)[number]) => `meta-${f}`;

/**
 * The document's descriptive fields. Saving sends If-Match with the version the form was
 * filled from: when someone changed the document meanwhile (412), nothing is overwritten
 * and the person reloads to see the other change.
 */
export function MetadataForm({ doc, onSaved, onReload }: { doc: DocumentView; onSaved: (d: DocumentView) => void; onReload: () => void }) {
  const { t } = useTranslation();
  const { slug } = useDocs();
  const headingId = useId();
  const editable = doc.access === 'write' || doc.access === 'manage';
  const [title, setTitle] = useState(doc.title);
  const [description, setDescription] = useState(doc.description);
  const [ref, setRef] = useState(doc.file_plan_ref);
  const [tags, setTags] = useState(doc.tags.join(', '));
  const [rows, setRows] = useState<MetaRow[]>(metadataRows(doc.metadata));
  const [rowErrors, setRowErrors] = useState<Record<number, string>>({});
  const [saved, setSaved] = useState(false);
  const [stale, setStale] = useState(false);
  const save = useAction();
  const fields = useFieldErrors(FIELDS, fieldId);

  // A new version of the document (saved here, or reloaded) refills the form.
  useEffect(() => {
    setTitle(doc.title);
    setDescription(doc.description);
    setRef(doc.file_plan_ref);
    setTags(doc.tags.join(', '));
    setRows(metadataRows(doc.metadata));
    setRowErrors({});
    setStale(false);
  }, [doc.version, doc.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    if (fields.check({ title: requiredError(title) })) return;
    const { metadata, invalid, duplicate } = rowsToMetadata(rows);
    if (invalid.length || duplicate.length) {
      const errs: Record<number, string> = {};
      for (const i of invalid) errs[i] = t('docs.meta.keyInvalid');
      for (const i of duplicate) errs[i] = t('docs.meta.keyDuplicate');
      setRowErrors(errs);
      const first = Math.min(...invalid, ...duplicate);
      setTimeout(() => document.getElementById(`meta-key-${first}`)?.focus(), 0);
      return;
    }
    setRowErrors({});
    const res = await save.run(
      () =>
        call(
          api.PATCH('/api/v1/t/{tenant}/documents/{id}', {
            params: { path: { tenant: slug, id: doc.id }, header: { 'If-Match': etag(doc.version) } },
            body: { title: title.trim(), description, file_plan_ref: ref.trim(), tags: parseTags(tags), metadata },
          }),
        ),
      (err) => {
        if (isApiError(err) && err.code === 'precondition-failed') {
          setStale(true);
          setTimeout(() => document.getElementById('meta-stale')?.focus(), 0);
          return true;
        }
        return fields.fromServer(err);
      },
    );
    if (res) {
      setSaved(true);
      onSaved(res);
    }
  };

  const setRow = (i: number, patch: Partial<MetaRow>) => setRows((r) => r.map((x, j) => (j === i ? { ...x, ...patch } : x)));

  return (
    <section className="app-section" aria-labelledby={headingId}>
      <h2 id={headingId} className="kern-heading-medium">
        {t('docs.meta.title')}
      </h2>
      {stale && (
        <div id="meta-stale" tabIndex={-1} className="app-focus-target">
          <Alert variant="warning" title={t('docs.meta.staleTitle')} live="alert">
            <p className="kern-body">{t('docs.meta.staleText')}</p>
            <Button variant="secondary" icon="autorenew" onClick={onReload}>
              {t('docs.meta.reload')}
            </Button>
          </Alert>
        </div>
      )}
      {saved && <Alert variant="success" title={t('docs.meta.saved')} live="status" />}
      <ErrorAlert error={save.error} />
      <form className="app-form app-form--wide" onSubmit={submit} noValidate>
        {!editable && (
          <p className="kern-body kern-body--muted" id="meta-readonly" data-testid="meta-readonly">
            {t('docs.meta.readOnly')}
          </p>
        )}
        <fieldset className="kern-fieldset app-fieldset" disabled={!editable} aria-describedby={editable ? undefined : 'meta-readonly'}>
          <legend className="app-sr-only">{t('docs.meta.title')}</legend>
          <TextField id={fieldId('title')} label={t('docs.meta.docTitle')} hint={t('docs.meta.titleHint')} value={title} maxLength={500} required onChange={(e) => setTitle(e.target.value)} error={fields.errors.title} />
          <TextAreaField id={fieldId('description')} label={t('docs.meta.description')} optional rows={3} maxLength={10000} value={description} onChange={(e) => setDescription(e.target.value)} error={fields.errors.description} />
          <TextField id={fieldId('file_plan_ref')} label={t('docs.meta.filePlanRef')} hint={t('docs.meta.filePlanRefHint')} optional maxLength={200} value={ref} onChange={(e) => setRef(e.target.value)} error={fields.errors.file_plan_ref} />
          <TextField id={fieldId('tags')} label={t('docs.meta.tags')} hint={t('docs.meta.tagsHint')} optional value={tags} onChange={(e) => setTags(e.target.value)} error={fields.errors.tags} />
          <div className="app-meta" role="group" aria-labelledby="meta-fields-title" id={fieldId('metadata')} tabIndex={-1}>
            <h3 id="meta-fields-title" className="kern-heading-small">
              {t('docs.meta.fields')}
            </h3>
            <p className="kern-hint">{t('docs.meta.fieldsHint')}</p>
            {fields.errors.metadata && <p className="kern-error"><span className="kern-body">{fields.errors.metadata}</span></p>}
            {rows.length === 0 && <p className="kern-body kern-body--muted">{t('docs.meta.noFields')}</p>}
            {rows.map((r, i) => (
              <div key={i} className="app-meta__row">
                <TextField
                  id={`meta-key-${i}`}
                  label={t('docs.meta.fieldName', { n: i + 1 })}
                  value={r.key}
                  maxLength={64}
                  onChange={(e) => setRow(i, { key: e.target.value })}
                  error={rowErrors[i]}
                  className="app-field--mono"
                />
                <TextField id={`meta-value-${i}`} label={t('docs.meta.fieldValue', { n: i + 1 })} value={r.value} maxLength={2000} onChange={(e) => setRow(i, { value: e.target.value })} />
                {editable && (
                  <Button variant="tertiary" small icon="delete" onClick={() => setRows((x) => x.filter((_, j) => j !== i))}>
                    {t('docs.meta.removeField')}
                    <span className="app-sr-only"> {i + 1}</span>
                  </Button>
                )}
              </div>
            ))}
            {editable && (
              <Button
                variant="secondary"
                small
                icon="add"
                onClick={() => {
                  setRows((x) => [...x, { key: '', value: '' }]);
                  setTimeout(() => document.getElementById(`meta-key-${rows.length}`)?.focus(), 0);
                }}
              >
                {t('docs.meta.addField')}
              </Button>
            )}
          </div>
          {editable && (
            <div className="app-actions">
              <Button type="submit" busy={save.busy}>
                {t('docs.meta.save')}
              </Button>
            </div>
          )}
        </fieldset>
      </form>
    </section>
  );
}
