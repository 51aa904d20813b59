// Small pieces the committee screens share: breadcrumbs, state badges, rule texts.
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Alert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { useDocs } from '../documents/context';
import { committeesBase, fractionText, type MeetingState, type Poll, type PollState, type Rule, type SeatRole } from './model';

/** The tenant, the caller's membership and whether they administer the tenant. */
export function useCommitteesCtx() {
  const { slug, membershipId, isAdmin } = useDocs();
  return { slug, membershipId, isAdmin };
}

/** The breadcrumb navigation: "Gremien › Bauausschuss › Sitzung"; the last crumb is the page. */
export function Crumbs({ items }: { items: { label: string; href?: string }[] }) {
  const { t } = useTranslation();
  const { slug } = useCommitteesCtx();
  const all = [{ label: t('committees.title'), href: committeesBase(slug) }, ...items];
  return (
    <nav className="app-breadcrumbs" aria-label={t('docs.breadcrumbs')}>
      <ol className="app-breadcrumbs__list">
        {all.map((it, i) => (
          <li key={i} className="app-breadcrumbs__item">
            {it.href && i < all.length - 1 ? (
              <Link className="kern-link" to={it.href}>
                {it.label}
              </Link>
            ) : (
              <span aria-current={i === all.length - 1 ? 'page' : undefined}>{it.label}</span>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

const meetingVariant: Record<MeetingState, 'info' | 'success' | 'warning' | 'danger'> = {
  planned: 'info',
  invited: 'info',
  in_session: 'warning',
  closed: 'success',
  minutes_approved: 'success',
  cancelled: 'danger',
};

export function MeetingStateBadge({ state }: { state: MeetingState }) {
  const { t } = useTranslation();
  return <Badge variant={meetingVariant[state]}>{t(`committees.meetingState.${state}`)}</Badge>;
}

const pollVariant: Record<PollState, 'info' | 'success' | 'warning' | 'danger'> = {
  draft: 'info',
  open: 'warning',
  closed: 'info',
  published: 'success',
  annulled: 'danger',
};

export function PollStateBadge({ state }: { state: PollState }) {
  const { t } = useTranslation();
  return <Badge variant={pollVariant[state]}>{t(`committees.pollState.${state}`)}</Badge>;
}

/** An annulled poll: no result, no decision, and why. */
export function AnnulledNote({ poll }: { poll: Pick<Poll, 'state' | 'annul_reason'> }) {
  const { t } = useTranslation();
  if (poll.state !== 'annulled') return null;
  return (
    <Alert variant="warning" title={t('committees.poll.annulled')}>
      {poll.annul_reason && <p className="kern-body">{t('committees.poll.annulledReason', { reason: poll.annul_reason })}</p>}
    </Alert>
  );
}

/** A majority rule in words: "Einfache Mehrheit der abgegebenen Stimmen". */
export function ruleText(rule: Rule, t: TFunction): string {
  const majority =
    rule.majority === 'custom' && rule.fraction
      ? t(rule.fraction.inclusive ? 'committees.rule.customAtLeast' : 'committees.rule.customMore', { fraction: fractionText(rule.fraction) })
      : t(`committees.rule.majority.${rule.majority}`);
  return t('committees.rule.text', { majority, base: t(`committees.rule.base.${rule.base}`) });
}

/** The seat roles that may manage a committee (with tenant admins). */
export const MANAGING_ROLES = new Set<SeatRole>(['chair', 'secretary']);
