// Small pieces the workspace screens share: breadcrumbs, and buttons that say why they
// cannot be used.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Button } from '../components/Button';
import { useDocs } from '../documents/context';
import { workspacesBase, type Permit } from './model';

/** The breadcrumb navigation: "Arbeitsräume › Name"; the last crumb is the page. */
export function Crumbs({ current }: { current: string }) {
  const { t } = useTranslation();
  const { slug } = useDocs();
  return (
    <nav className="app-breadcrumbs" aria-label={t('docs.breadcrumbs')}>
      <ol className="app-breadcrumbs__list">
        <li className="app-breadcrumbs__item">
          <Link className="kern-link" to={workspacesBase(slug)}>
            {t('workspaces.title')}
          </Link>
        </li>
        <li className="app-breadcrumbs__item">
          <span aria-current="page">{current}</span>
        </li>
      </ol>
    </nav>
  );
}

/** The element id of a reason's visible text (one per reason and place). */
export const reasonId = (place: string, reason: string) => `ws-reason-${place}-${reason.replace(/[^a-zA-Z0-9]+/g, '-')}`;

/**
 * The reasons why some of a group's buttons cannot be used, each once, visible beside the
 * buttons (the buttons point at them with aria-describedby).
 */
export function Reasons({ place, permits }: { place: string; permits: Permit[] }) {
  const { t } = useTranslation();
  const reasons = [...new Set(permits.flatMap((p) => (p.ok ? [] : [p.reason])))];
  if (reasons.length === 0) return null;
  return (
    <ul className="app-ws-reasons" data-testid={`reasons-${place}`}>
      {reasons.map((r) => (
        <li key={r} id={reasonId(place, r)} className="kern-body kern-body--small">
          <span className="kern-icon kern-icon--info kern-icon--small" aria-hidden="true" />
          {t(r)}
        </li>
      ))}
    </ul>
  );
}

/** A button that is disabled when its permit refuses, described by the visible reason. */
export function PermitButton({
  permit,
  place,
  children,
  ...rest
}: {
  permit: Permit;
  place: string;
  children: ReactNode;
  onClick: () => void;
  variant?: 'primary' | 'secondary' | 'tertiary';
  icon?: string;
  small?: boolean;
  busy?: boolean;
}) {
  return (
    <Button {...rest} disabled={!permit.ok} aria-describedby={permit.ok ? undefined : reasonId(place, permit.reason)}>
      {children}
    </Button>
  );
}
