import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { downloadText } from '../lib/download';
import { safeFileName } from '../lib/format';
import { Alert } from './Alert';
import { Button } from './Button';
import { CopyButton } from './CopyButton';
import { Checkbox, FieldError } from './Field';

/** Recovery codes, shown once: print, download or copy them, then confirm and go on. */
export function RecoveryCodes({ codes, email, onContinue, continueLabel }: { codes: string[]; email: string; onContinue: () => void; continueLabel?: string }) {
  const { t } = useTranslation();
  const headingId = useId();
  const [kept, setKept] = useState(false);
  const [error, setError] = useState<string>();
  const text = `${t('recovery.fileHeader', { email })}\n\n${codes.join('\n')}\n`;

  const proceed = () => {
    if (!kept) {
      setError(t('recovery.confirmRequired'));
      document.getElementById('recovery-kept')?.focus();
      return;
    }
    onContinue();
  };

  return (
    <section className="app-section app-print-area" aria-labelledby={headingId}>
      <h2 id={headingId} className="kern-heading-medium" tabIndex={-1}>
        {t('recovery.title')}
      </h2>
      <Alert variant="warning" title={t('recovery.onceTitle')} live="status">
        <p className="kern-body">{t('recovery.onceText')}</p>
      </Alert>
      <ol className="app-codes" aria-label={t('recovery.listLabel')} data-testid="recovery-codes">
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ol>
      <div className="app-actions app-no-print">
        <Button variant="secondary" icon="download" onClick={() => downloadText(safeFileName('kollab-recovery-codes', email), text)}>
          {t('recovery.download')}
        </Button>
        <Button variant="secondary" onClick={() => window.print()}>
          {t('recovery.print')}
        </Button>
        <CopyButton text={codes.join('\n')} label={t('recovery.copy')} small={false} />
      </div>
      <div className={`app-no-print app-confirm${error ? ' kern-form-check--error' : ''}`}>
        <FieldError id="recovery-kept" error={error} />
        <Checkbox
          id="recovery-kept"
          label={t('recovery.kept')}
          checked={kept}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'recovery-kept-error' : undefined}
          onChange={(e) => {
            setKept(e.target.checked);
            if (e.target.checked) setError(undefined);
          }}
        />
      </div>
      <div className="app-actions app-no-print">
        <Button onClick={proceed}>{continueLabel ?? t('common.continue')}</Button>
      </div>
    </section>
  );
}
