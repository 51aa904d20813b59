import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from './Button';

/** Copies a text to the clipboard and says so (politely) for screen readers. */
export function CopyButton({ text, label, small = true }: { text: string; label: string; small?: boolean }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <span className="app-copy">
      <Button variant="secondary" icon="content-copy" onClick={copy} small={small}>
        {label}
      </Button>
      <span role="status" className="app-copy__status">
        {state === 'copied' ? t('common.copied') : state === 'failed' ? t('common.copyFailed') : ''}
      </span>
    </span>
  );
}
