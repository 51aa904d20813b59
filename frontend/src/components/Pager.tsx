import { useTranslation } from 'react-i18next';
import { Button } from './Button';

/** Previous/next for cursor-paginated lists; the page number is announced politely. */
export function Pager({ page, hasNext, onPrev, onNext, label }: { page: number; hasNext: boolean; onPrev: () => void; onNext: () => void; label: string }) {
  const { t } = useTranslation();
  if (page === 1 && !hasNext) return null;
  return (
    <nav className="app-pager" aria-label={label}>
      <Button variant="secondary" small icon="chevron-left" onClick={onPrev} disabled={page <= 1}>
        {t('pager.previous')}
      </Button>
      <span className="kern-body" role="status">
        {t('pager.page', { page })}
      </span>
      <Button variant="secondary" small onClick={onNext} disabled={!hasNext}>
        {t('pager.next')}
        <span className="kern-icon kern-icon--chevron-right" aria-hidden="true" />
      </Button>
    </nav>
  );
}
