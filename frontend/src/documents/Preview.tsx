import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDocs } from './context';
import { contentURL, previewKind, type DocumentView } from './model';

/**
 * The current revision in the browser: PDFs in a frame (the browser's own viewer), images
 * as images; other types offer the download. The URL names the revision, so a new
 * revision shows at once and an old one comes from the cache.
 */
export function Preview({ doc }: { doc: DocumentView }) {
  const { t } = useTranslation();
  const { slug } = useDocs();
  const headingId = useId();
  const [failed, setFailed] = useState(false);
  const rev = doc.current_revision_id;
  const kind = previewKind(doc.content_type);
  if (!rev) return null;
  const src = contentURL(slug, doc.id, { revision: rev, inline: true });
  return (
    <section className="app-section app-preview" aria-labelledby={headingId}>
      <h2 id={headingId} className="kern-heading-medium">
        {t('docs.preview.title')}
      </h2>
      {kind === 'pdf' && (
        <iframe key={rev} className="app-preview__frame" src={src} title={t('docs.preview.pdfTitle', { name: doc.title })} data-testid="preview-pdf" />
      )}
      {kind === 'image' && !failed && (
        <img key={rev} className="app-preview__image" src={src} alt={t('docs.preview.imageAlt', { name: doc.title })} data-testid="preview-image" onError={() => setFailed(true)} />
      )}
      {(kind === 'none' || failed) && <p className="kern-body">{failed ? t('docs.preview.failed') : t('docs.preview.none')}</p>}
      <p className="kern-body">
        <a className="kern-btn kern-btn--secondary" href={contentURL(slug, doc.id)} download>
          <span className="kern-icon kern-icon--download" aria-hidden="true" />
          <span className="kern-label">{t('docs.doc.download')}</span>
        </a>
      </p>
    </section>
  );
}
