import { useTranslation } from 'react-i18next';

/** A spinner that keeps its place (no jump when content arrives), announced politely. */
export function Loading({ label, inline }: { label?: string; inline?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className={inline ? 'app-loading app-loading--inline' : 'app-loading'} role="status">
      <span className="kern-loader kern-loader--visible" aria-hidden="true" />
      <span className="kern-sr-only">{label ?? t('common.loading')}</span>
    </div>
  );
}
