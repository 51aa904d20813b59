import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { useAction } from '../lib/useAction';
import { exportFile, type FileFormat } from './model';

/** "Export as CSV / vCard": fetches the whole address book and offers it as a download. */
export function ExportButtons({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const action = useAction();
  const [done, setDone] = useState('');
  const run = async (format: FileFormat) => {
    setDone('');
    const name = await action.run(() => exportFile(slug, format));
    if (name) setDone(name);
  };
  return (
    <section className="app-section" aria-labelledby="org-export-title">
      <h2 id="org-export-title" className="kern-heading-small">
        {t('addressbook.export.title')}
      </h2>
      <ErrorAlert error={action.error} />
      {done && <Alert variant="success" title={t('addressbook.export.done', { name: done })} live="status" />}
      <div className="app-actions">
        <Button variant="secondary" icon="download" onClick={() => void run('csv')} busy={action.busy}>
          {t('addressbook.export.csv')}
        </Button>
        <Button variant="secondary" icon="download" onClick={() => void run('vcard')} busy={action.busy}>
          {t('addressbook.export.vcard')}
        </Button>
      </div>
    </section>
  );
}
