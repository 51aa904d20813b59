import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Alert, ErrorAlert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { Button } from '../components/Button';
import { FieldError } from '../components/Field';
import { PageHeading } from '../components/PageHeading';
import { useAction } from '../lib/useAction';
import { ImportRows } from './ImportRows';
import { addressBase, formatOf, importFile, type FileFormat, type ImportReport } from './model';

/**
 * Import of organisations and contacts: choose a CSV or vCard file, see the server's
 * preview (every row: new, duplicate of…, invalid with field and reason) with counts,
 * then "Importieren" sends the same file once more to apply it.
 */
export function ImportPage({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<FileFormat>('csv');
  const [fileError, setFileError] = useState('');
  const [report, setReport] = useState<ImportReport | null>(null);
  const action = useAction();

  const preview = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setFileError(t('addressbook.import.fileRequired'));
      setTimeout(() => document.getElementById('import-file')?.focus(), 0);
      return;
    }
    setReport(null);
    const r = await action.run(() => importFile(slug, file, format, 'preview'));
    if (r) {
      setReport(r);
      setTimeout(() => document.getElementById('import-result-title')?.focus(), 0);
    }
  };

  const apply = async () => {
    if (!file) return;
    const r = await action.run(() => importFile(slug, file, format, 'apply'));
    if (r) {
      setReport(r);
      setTimeout(() => document.getElementById('import-result-title')?.focus(), 0);
    }
  };

  const applied = report?.applied === true;
  return (
    <>
      <nav className="app-back" aria-label={t('addressbook.breadcrumb')}>
        <Link className="kern-link" to={addressBase(slug)}>
          <span className="kern-icon kern-icon--arrow-back kern-icon--small" aria-hidden="true" /> {t('addressbook.back')}
        </Link>
      </nav>
      <PageHeading title={t('addressbook.import.title')} sub={t('addressbook.import.lead')}>
        {t('addressbook.import.title')}
      </PageHeading>
      <ErrorAlert error={action.error} />
      {!applied && (
        <form className="app-form" onSubmit={preview} noValidate>
          <div className={`kern-form-input${fileError ? ' kern-form-input--error' : ''}`}>
            <label className="kern-label" htmlFor="import-file">
              {t('addressbook.import.file')}
            </label>
            <div className="kern-hint" id="import-file-hint">
              {t('addressbook.import.fileHint')}
            </div>
            <FieldError id="import-file" error={fileError} />
            <input
              id="import-file"
              type="file"
              accept=".csv,.vcf,.vcard,text/csv,text/vcard"
              className="kern-form-input__input"
              aria-describedby={fileError ? 'import-file-hint import-file-error' : 'import-file-hint'}
              aria-invalid={fileError ? true : undefined}
              onChange={(e) => {
                const f = e.target.files?.[0] ?? null;
                setFile(f);
                if (f) setFormat(formatOf(f.name));
                setFileError('');
                setReport(null);
              }}
            />
          </div>
          <fieldset className="kern-fieldset">
            <legend className="kern-label">{t('addressbook.import.format')}</legend>
            <div className="kern-fieldset__body kern-fieldset__body--horizontal">
              {(['csv', 'vcard'] as const).map((f) => (
                <div key={f} className="kern-form-check">
                  <input className="kern-form-check__radio" type="radio" id={`import-format-${f}`} name="import-format" value={f} checked={format === f} onChange={() => setFormat(f)} />
                  <label className="kern-label" htmlFor={`import-format-${f}`}>
                    {t(`addressbook.import.formats.${f}`)}
                  </label>
                </div>
              ))}
            </div>
          </fieldset>
          <div className="app-actions">
            <Button type="submit" variant={report ? 'secondary' : 'primary'} icon="search" busy={action.busy && !report}>
              {t('addressbook.import.preview')}
            </Button>
          </div>
        </form>
      )}
      {report && (
        <section className="app-section" aria-labelledby="import-result-title" data-testid={applied ? 'import-applied' : 'import-preview'}>
          <h2 id="import-result-title" className="kern-heading-medium" tabIndex={-1}>
            {applied ? t('addressbook.import.appliedTitle') : t('addressbook.import.previewTitle')}
          </h2>
          <Alert variant={applied ? 'success' : 'info'} title={applied ? t('addressbook.import.appliedSummary') : t('addressbook.import.previewSummary')} live="status">
            <ul className="app-import-counts" data-testid="import-counts">
              <li>
                <Badge variant="success">{t(applied ? 'addressbook.import.countCreated' : 'addressbook.import.countNew', { count: report.created })}</Badge>
              </li>
              <li>
                <Badge variant="warning">{t('addressbook.import.countDuplicates', { count: report.duplicates })}</Badge>
              </li>
              <li>
                <Badge variant="danger">{t('addressbook.import.countInvalid', { count: report.invalid })}</Badge>
              </li>
            </ul>
          </Alert>
          {!applied && (
            <div className="app-actions app-toolbar">
              <Button icon="check" onClick={() => void apply()} busy={action.busy} disabled={report.created === 0}>
                {t('addressbook.import.apply')}
              </Button>
              {report.created === 0 && <p className="kern-hint">{t('addressbook.import.nothingToApply')}</p>}
            </div>
          )}
          <ImportRows slug={slug} report={report} />
          {applied && (
            <div className="app-actions">
              <Link className="kern-btn kern-btn--primary" to={addressBase(slug)}>
                <span className="kern-label">{t('addressbook.import.toList')}</span>
              </Link>
              <Button
                variant="secondary"
                onClick={() => {
                  setReport(null);
                  setFile(null);
                }}
              >
                {t('addressbook.import.another')}
              </Button>
            </div>
          )}
        </section>
      )}
    </>
  );
}
