import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/problem';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { FieldError, TextField } from '../components/Field';
import { useDocs } from './context';
import { etag, formatBytes, revisionUploadURL, type DocumentView } from './model';
import { sendFile, UploadCancelled, type UploadHandle, type UploadResult } from './upload';

/** "Upload a new version": one file, a comment, a progress bar; If-Match guards against lost updates. */
export function NewRevision({ doc, onUploaded, onReload }: { doc: DocumentView; onUploaded: (r: UploadResult) => void; onReload: () => void }) {
  const { t, i18n } = useTranslation();
  const { slug } = useDocs();
  const headingId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [comment, setComment] = useState('');
  const [loaded, setLoaded] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fileError, setFileError] = useState('');
  const [done, setDone] = useState('');
  const handle = useRef<UploadHandle | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => () => handle.current?.abort(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone('');
    setError(null);
    if (!file) {
      setFileError(t('docs.newRev.fileRequired'));
      input.current?.focus();
      return;
    }
    setFileError('');
    setBusy(true);
    setLoaded(0);
    let last = -1;
    const h = sendFile({
      method: 'PUT',
      url: revisionUploadURL(slug, doc.id, file.name, comment.trim() || undefined),
      file,
      ifMatch: etag(doc.version),
      onProgress: (l, total) => {
        const p = total ? Math.floor((l / total) * 100) : 0;
        if (p !== last) {
          last = p;
          setLoaded(l);
        }
      },
    });
    handle.current = h;
    try {
      const res = await h.promise;
      setDone(t('docs.newRev.done', { n: res.revision.number }));
      setFile(null);
      setComment('');
      if (input.current) input.current.value = '';
      onUploaded(res);
    } catch (err) {
      if (!(err instanceof UploadCancelled)) setError(err);
    } finally {
      handle.current = null;
      setBusy(false);
    }
  };

  const percent = file && file.size > 0 ? Math.min(100, Math.floor((loaded / file.size) * 100)) : 0;
  const stale = isApiError(error) && error.code === 'precondition-failed';

  return (
    <section className="app-section" aria-labelledby={headingId}>
      <h2 id={headingId} className="kern-heading-medium">
        {t('docs.newRev.title')}
      </h2>
      {done && <Alert variant="success" title={done} live="status" />}
      {stale ? (
        <Alert variant="warning" title={t('docs.meta.staleTitle')} live="alert" focus>
          <p className="kern-body">{t('docs.newRev.staleText')}</p>
          <Button variant="secondary" icon="autorenew" onClick={onReload}>
            {t('docs.meta.reload')}
          </Button>
        </Alert>
      ) : (
        <ErrorAlert error={error} />
      )}
      <form className="app-form" onSubmit={submit} noValidate>
        <div className={`kern-form-input${fileError ? ' kern-form-input--error' : ''}`}>
          <label className="kern-label" htmlFor="revision-file">
            {t('docs.newRev.file')}
          </label>
          <FieldError id="revision-file" error={fileError} />
          <input
            ref={input}
            id="revision-file"
            type="file"
            className="kern-form-input__input"
            aria-describedby={fileError ? 'revision-file-error' : undefined}
            aria-invalid={fileError ? true : undefined}
            disabled={busy}
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setFileError('');
            }}
          />
        </div>
        <TextField id="revision-comment" label={t('docs.newRev.comment')} hint={t('docs.newRev.commentHint')} optional maxLength={2000} value={comment} disabled={busy} onChange={(e) => setComment(e.target.value)} />
        {busy && file && (
          <div className="kern-progress">
            <label className="kern-label" htmlFor="revision-progress">
              {t('docs.newRev.progress', { name: file.name, percent })}
            </label>
            <progress id="revision-progress" max={100} value={percent}>
              {percent} %
            </progress>
            <span className="kern-body kern-body--small">
              {formatBytes(loaded, i18n.language)} / {formatBytes(file.size, i18n.language)}
            </span>
          </div>
        )}
        <div className="app-actions">
          <Button type="submit" icon="drive-folder-upload" busy={busy}>
            {t('docs.newRev.submit')}
          </Button>
          {busy && (
            <Button variant="secondary" onClick={() => handle.current?.abort()}>
              {t('docs.upload.cancel')}
            </Button>
          )}
        </div>
      </form>
    </section>
  );
}
