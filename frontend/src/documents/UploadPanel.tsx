import { useId, useRef, useState, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Button } from '../components/Button';
import { errorText } from '../lib/errors';
import { useDocs } from './context';
import { formatBytes, uploadURL } from './model';
import { documentHref } from './parts';
import type { UploadResult } from './upload';
import { itemPercent, summarize, type Announcement, type UploadItem } from './uploadQueue';
import { useUploads } from './useUploads';

function hasFiles(e: DragEvent): boolean {
  return Array.from(e.dataTransfer?.types ?? []).includes('Files');
}

/**
 * Uploads many files into a folder: drop them on the zone or choose them with the file
 * input (the keyboard way). Each file shows its own progress bar, the batch an overall
 * one; a failed file shows the server's reason and can be retried.
 */
export function UploadPanel({ folderId, onUploaded }: { folderId: string; onUploaded: (r: UploadResult) => void }) {
  const { t, i18n } = useTranslation();
  const { slug } = useDocs();
  const headingId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const uploads = useUploads((file) => uploadURL(slug, folderId, file.name), onUploaded);
  const s = summarize(uploads.items);
  const lng = i18n.language;

  const onDrop = (e: DragEvent) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth.current = 0;
    setOver(false);
    uploads.add(e.dataTransfer.files);
  };

  const status = (x: UploadItem) => {
    switch (x.status) {
      case 'queued':
        return t('docs.upload.queued');
      case 'uploading':
        return t('docs.upload.uploading', { percent: itemPercent(x) });
      case 'done':
        return t('docs.upload.done');
      case 'failed':
        return t('docs.upload.failed');
      case 'cancelled':
        return t('docs.upload.cancelled');
    }
  };

  return (
    <section className="app-section app-upload" aria-labelledby={headingId}>
      <h2 id={headingId} className="kern-heading-medium">
        {t('docs.upload.title')}
      </h2>
      <div
        className={`app-dropzone${over ? ' app-dropzone--over' : ''}`}
        data-testid="dropzone"
        onDragEnter={(e) => {
          if (!hasFiles(e)) return;
          e.preventDefault();
          depth.current++;
          setOver(true);
        }}
        onDragOver={(e) => {
          if (!hasFiles(e)) return;
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
        }}
        onDragLeave={() => {
          depth.current = Math.max(0, depth.current - 1);
          if (depth.current === 0) setOver(false);
        }}
        onDrop={onDrop}
      >
        <span className="kern-icon kern-icon--drive-folder-upload kern-icon--large" aria-hidden="true" />
        <p className="kern-body">{t('docs.upload.dropHint')}</p>
        <div className="kern-form-input app-dropzone__input">
          <label className="kern-label" htmlFor="upload-files">
            {t('docs.upload.choose')}
          </label>
          <div className="kern-hint" id="upload-files-hint">
            {t('docs.upload.chooseHint')}
          </div>
          <input
            ref={inputRef}
            id="upload-files"
            type="file"
            multiple
            className="kern-form-input__input"
            aria-describedby="upload-files-hint"
            onChange={(e) => {
              if (e.target.files) uploads.add(e.target.files);
              e.target.value = '';
            }}
          />
        </div>
      </div>

      {uploads.items.length > 0 && (
        <div className="app-uploads">
          <div className="kern-progress app-uploads__overall">
            <label className="kern-label" htmlFor="upload-overall">
              {t('docs.upload.overall', { done: s.done, count: s.count, percent: s.percent })}
            </label>
            <progress id="upload-overall" max={100} value={s.percent}>
              {s.percent} %
            </progress>
            <span className="kern-body kern-body--small">
              {formatBytes(s.loaded, lng)} / {formatBytes(s.total, lng)}
            </span>
          </div>
          <ul className="app-uploads__list" aria-label={t('docs.upload.listLabel')}>
            {uploads.items.map((x) => {
              const err = x.status === 'failed' ? errorText(x.error, t) : null;
              const pid = `upload-progress-${x.id}`;
              return (
                <li key={x.id} className={`app-uploads__item app-uploads__item--${x.status}`} data-status={x.status} data-name={x.name}>
                  <div className="app-uploads__head">
                    <span className="app-uploads__name">{x.name}</span>
                    <span className="kern-body kern-body--small">
                      {formatBytes(x.size, lng)} · {status(x)}
                    </span>
                  </div>
                  <div className="kern-progress">
                    <progress id={pid} max={100} value={itemPercent(x)} aria-label={t('docs.upload.progressOf', { name: x.name })}>
                      {itemPercent(x)} %
                    </progress>
                  </div>
                  {err && (
                    <p className="kern-error app-uploads__error">
                      <span className="kern-icon kern-icon--danger kern-icon--default" aria-hidden="true" />
                      <span className="kern-body">
                        <strong>{err.title}</strong>
                        {err.detail ? ` – ${err.detail}` : ''}
                      </span>
                    </p>
                  )}
                  <div className="app-row-actions">
                    {(x.status === 'queued' || x.status === 'uploading') && (
                      <Button variant="secondary" small onClick={() => uploads.cancel(x.id)}>
                        {t('docs.upload.cancel')}
                        <span className="app-sr-only">: {x.name}</span>
                      </Button>
                    )}
                    {(x.status === 'failed' || x.status === 'cancelled') && (
                      <Button variant="secondary" small icon="autorenew" onClick={() => uploads.retry(x.id)}>
                        {t('docs.upload.retry')}
                        <span className="app-sr-only">: {x.name}</span>
                      </Button>
                    )}
                    {x.status === 'done' && x.documentId && (
                      <Link className="kern-link" to={documentHref(slug, x.documentId)}>
                        {t('docs.upload.open')}
                        <span className="app-sr-only">: {x.name}</span>
                      </Link>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
          <div className="app-actions">
            {!s.idle && (
              <Button variant="secondary" onClick={uploads.cancelAll}>
                {t('docs.upload.cancelAll')}
              </Button>
            )}
            {s.idle && (
              <Button variant="secondary" onClick={uploads.clear}>
                {t('docs.upload.clear')}
              </Button>
            )}
          </div>
        </div>
      )}
      <p className="app-sr-only" role="status" aria-live="polite">
        {describe(uploads.message, t)}
      </p>
    </section>
  );
}

function describe(a: Announcement, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (!a) return '';
  switch (a.key) {
    case 'started':
      return t('docs.upload.announceStarted', { count: a.count });
    case 'finished':
      return a.failed ? t('docs.upload.announceFinishedErrors', { done: a.done, failed: a.failed }) : t('docs.upload.announceFinished', { count: a.done });
    case 'failed':
      return t('docs.upload.announceFailed', { name: a.name });
  }
}
