import { useId, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useDocs } from './context';
import { contentURL, previewKind, type DocumentView } from './model';

export interface PreviewFile {
  /** Names the bytes shown (a revision id): a new one reloads the frame. */
  revision: string;
  title: string;
  contentType?: string | null;
  /** The inline content (PDFs and images are shown; other types are offered for download). */
  src: string;
  /** The download. */
  downloadHref: string;
}

/**
 * A file in the browser: PDFs in a frame (the browser's own viewer), images as images;
 * other types offer the download. Used for a document's current revision and for a
 * session paper's frozen revision on the meeting page.
 */
export function FilePreview({ file, heading, headingLevel = 2, children }: { file: PreviewFile; heading?: string; headingLevel?: 2 | 3 | 4 | 5; children?: ReactNode }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [failed, setFailed] = useState<string | null>(null);
  const kind = previewKind(file.contentType);
  const H = `h${headingLevel}` as const;
  const broken = failed === file.revision;
  return (
    <section className="app-section app-preview" aria-labelledby={headingId}>
      <H id={headingId} className={headingLevel === 2 ? 'kern-heading-medium' : 'kern-heading-small'}>
        {heading ?? t('docs.preview.title')}
      </H>
      {kind === 'pdf' && (
        <iframe key={file.revision} className="app-preview__frame" src={file.src} title={t('docs.preview.pdfTitle', { name: file.title })} data-testid="preview-pdf" />
      )}
      {kind === 'image' && !broken && (
        <img key={file.revision} className="app-preview__image" src={file.src} alt={t('docs.preview.imageAlt', { name: file.title })} data-testid="preview-image" onError={() => setFailed(file.revision)} />
      )}
      {(kind === 'none' || broken) && <p className="kern-body">{broken ? t('docs.preview.failed') : t('docs.preview.none')}</p>}
      <p className="kern-body app-actions">
        <a className="kern-btn kern-btn--secondary" href={file.downloadHref} download>
          <span className="kern-icon kern-icon--download" aria-hidden="true" />
          <span className="kern-label">{t('docs.doc.download')}</span>
          <span className="app-sr-only">: {file.title}</span>
        </a>
        {children}
      </p>
    </section>
  );
}

/**
 * The current revision of a document. The URL names the revision, so a new revision shows
 * at once and an old one comes from the cache.
 */
export function Preview({ doc }: { doc: DocumentView }) {
  const { slug } = useDocs();
  const rev = doc.current_revision_id;
  if (!rev) return null;
  return (
    <FilePreview
      file={{ revision: rev, title: doc.title, contentType: doc.content_type, src: contentURL(slug, doc.id, { revision: rev, inline: true }), downloadHref: contentURL(slug, doc.id) }}
    />
  );
}
