import { useEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The page's h1. It names the document (title) and, after a client-side navigation,
 * takes keyboard focus so that screen readers announce the new page.
 */
export function PageHeading({ children, title, sub }: { children: ReactNode; title: string; sub?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`;
  }, [title, t]);
  useEffect(() => {
    if (document.body.dataset.navigated === 'true') ref.current?.focus({ preventScroll: false });
  }, []);
  return (
    <div className="app-page-heading">
      <h1 ref={ref} tabIndex={-1} className="kern-heading-large">
        {children}
      </h1>
      {sub && <p className="kern-body kern-body--large app-lead">{sub}</p>}
    </div>
  );
}
