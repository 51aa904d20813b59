// Small pieces the consultation screens share: the state badge, the breadcrumbs, a
// <time> element with relative and absolute time.
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Badge } from '../components/Badge';
import { formatDateTime } from '../lib/format';
import { workspaceHref, workspacesBase } from '../workspaces/model';
import { deadlinePassed, type Consultation } from './model';

/** The state in words: Entwurf, Offen, Frist abgelaufen, Abgeschlossen. */
export function StateBadge({ c }: { c: Pick<Consultation, 'state' | 'deadline'> }) {
  const { t } = useTranslation();
  if (c.state === 'open' && deadlinePassed(c)) return <Badge variant="warning">{t('consultations.state.expired')}</Badge>;
  return <Badge variant={c.state === 'open' ? 'success' : c.state === 'draft' ? 'info' : 'warning'}>{t(`consultations.state.${c.state}`)}</Badge>;
}

/** "Arbeitsräume › Workspace › Subject". */
export function ConsultationCrumbs({ slug, c, current }: { slug: string; c?: Pick<Consultation, 'workspace_id' | 'workspace_name'>; current: string }) {
  const { t } = useTranslation();
  return (
    <nav className="app-breadcrumbs" aria-label={t('docs.breadcrumbs')}>
      <ol className="app-breadcrumbs__list">
        <li className="app-breadcrumbs__item">
          <Link className="kern-link" to={workspacesBase(slug)}>
            {t('workspaces.title')}
          </Link>
        </li>
        {c && (
          <li className="app-breadcrumbs__item">
            <Link className="kern-link" to={workspaceHref(slug, c.workspace_id)}>
              {c.workspace_name}
            </Link>
          </li>
        )}
        <li className="app-breadcrumbs__item">
          <span aria-current="page">{current}</span>
        </li>
      </ol>
    </nav>
  );
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "vor 5 Minuten", "in 3 Tagen", "gerade eben" (under a minute). */
export function relativeTime(iso: string, lng: string, now: Date = new Date()): string {
  const secs = (new Date(iso).getTime() - now.getTime()) / 1000;
  if (Number.isNaN(secs)) return '';
  const rtf = new Intl.RelativeTimeFormat(lng === 'en' ? 'en' : 'de', { numeric: 'auto' });
  for (const [unit, size] of UNITS) {
    if (Math.abs(secs) >= size) return rtf.format(Math.round(secs / size), unit);
  }
  return rtf.format(0, 'minute');
}

/** A point in time: relative, with the absolute time beside it, in a <time> element. */
export function When({ iso }: { iso: string }) {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  const abs = formatDateTime(iso, lng);
  return (
    <time dateTime={iso}>
      {relativeTime(iso, lng)} ({abs})
    </time>
  );
}
