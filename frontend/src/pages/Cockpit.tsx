import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Role, Schemas } from '../api/client';
import { formatDateTime } from '../lib/format';
import { notificationHref } from '../notifications/links';

export type CockpitData = Schemas['CockpitOutBody'];
export type CockpitPart = 'meetings' | 'polls' | 'consultations' | 'workspaces' | 'documents' | 'notifications';

/**
 * The parts of the cockpit a role has: committee-only members see their meetings, polls
 * and notifications; partners (guests) their consultations, workspaces and notifications;
 * staff and administrators everything.
 */
export function cockpitParts(role: Role | undefined): CockpitPart[] {
  switch (role) {
    case 'admin':
    case 'staff':
      return ['meetings', 'polls', 'consultations', 'workspaces', 'documents', 'notifications'];
    case 'committee':
      return ['meetings', 'polls', 'notifications'];
    case 'partner':
      return ['consultations', 'workspaces', 'notifications'];
    default:
      return ['notifications'];
  }
}

function Section({ id, title, empty, count, children, footer }: { id: string; title: string; empty: string; count: number; children: ReactNode; footer?: ReactNode }) {
  return (
    <section className="app-cockpit__section" aria-labelledby={id}>
      <h2 id={id} className="kern-heading-small">
        {title}
      </h2>
      {count === 0 ? <p className="kern-body app-cockpit__empty">{empty}</p> : <ul className="app-cockpit__list">{children}</ul>}
      {footer}
    </section>
  );
}

/**
 * The person's overview for one tenant: the sections their role has, each with an empty
 * state in words; guests first read what the place is for.
 */
export function Cockpit({ slug, role, data }: { slug: string; role: Role | undefined; data: CockpitData }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const parts = new Set(cockpitParts(role));
  const base = `/t/${slug}`;
  const meetings = data.meetings ?? [];
  const polls = data.polls ?? [];
  const workspaces = data.workspaces.items ?? [];
  const documents = data.documents ?? [];
  const notes = data.notifications.items ?? [];
  const consultations = data.consultations ?? [];
  return (
    <>
      {role === 'partner' && (
        <p className="kern-body app-cockpit__intro" data-testid="cockpit-guest-intro">
          {t('cockpit.guestIntro')}
        </p>
      )}
      <div className="app-cockpit">
        {parts.has('meetings') && (
          <Section id="cockpit-meetings" title={t('cockpit.meetings')} empty={t('cockpit.noMeetings')} count={meetings.length}>
            {meetings.map((m) => (
              <li key={m.id}>
                <Link className="kern-link" to={`${base}/meetings/${m.id}`}>
                  {m.title}
                </Link>
                <span className="app-cockpit__meta">
                  {formatDateTime(m.starts_at, lng)} · {m.committee_name}
                </span>
              </li>
            ))}
          </Section>
        )}
        {parts.has('polls') && (
          <Section id="cockpit-polls" title={t('cockpit.polls')} empty={t('cockpit.noPolls')} count={polls.length}>
            {polls.map((p) => (
              <li key={p.id}>
                <Link className="kern-link" to={`${base}/polls/${p.id}`}>
                  {p.title}
                </Link>
                <span className="app-cockpit__meta">
                  {p.deadline ? t('cockpit.deadline', { date: formatDateTime(p.deadline, lng) }) : t('cockpit.noDeadline')} · {p.committee_name}
                </span>
              </li>
            ))}
          </Section>
        )}
        {parts.has('consultations') && (
          <Section id="cockpit-consultations" title={t(role === 'partner' ? 'cockpit.consultationsGuest' : 'cockpit.consultations')} empty={t('cockpit.noConsultations')} count={consultations.length}>
            {consultations.map((c) => (
              <li key={c.id} data-testid="cockpit-consultation">
                <Link className="kern-link" to={`${base}/consultations/${c.id}`}>
                  {c.subject}
                </Link>
                <span className="app-cockpit__meta">
                  {t('cockpit.deadline', { date: formatDateTime(c.deadline, lng) })} · {c.workspace_name}
                  {role !== 'partner' && <> · {t('cockpit.answered', { answered: c.answered, count: c.invited })}</>}
                  {role === 'partner' && c.answered > 0 && <> · {t('cockpit.submitted')}</>}
                </span>
              </li>
            ))}
          </Section>
        )}
        {parts.has('workspaces') && (
          <Section
            id="cockpit-workspaces"
            title={t('cockpit.workspaces')}
            empty={t('cockpit.noWorkspaces')}
            count={workspaces.length}
            footer={
              data.workspaces.total > 0 && (
                <p className="kern-body app-cockpit__more">
                  <Link className="kern-link" to={`${base}/workspaces`}>
                    {t('cockpit.allWorkspaces', { count: data.workspaces.total })}
                  </Link>
                </p>
              )
            }
          >
            {workspaces.map((w) => (
              <li key={w.id}>
                <Link className="kern-link" to={`${base}/workspaces/${w.id}`}>
                  {w.name}
                </Link>
                <span className="app-cockpit__meta">
                  {t(`cockpit.wsRole.${w.my_role}`)} · {t('cockpit.members', { count: w.member_count })}
                </span>
              </li>
            ))}
          </Section>
        )}
        {parts.has('documents') && (
          <Section id="cockpit-documents" title={t('cockpit.documents')} empty={t('cockpit.noDocuments')} count={documents.length}>
            {documents.map((d) => (
              <li key={d.id}>
                <Link className="kern-link" to={`${base}/documents/d/${d.id}`}>
                  {d.title}
                </Link>
                <span className="app-cockpit__meta">
                  {t('cockpit.changed', { date: formatDateTime(d.updated_at, lng) })} · {t('cockpit.inFolder', { folder: d.folder_name })}
                </span>
              </li>
            ))}
          </Section>
        )}
        {parts.has('notifications') && (
          <Section
            id="cockpit-notifications"
            title={t('cockpit.notifications')}
            empty={t('cockpit.noNotifications')}
            count={notes.length}
            footer={
              <p className="kern-body app-cockpit__more">
                {data.notifications.unread > 0 && <>{t('cockpit.unread', { count: data.notifications.unread })} </>}
                <Link className="kern-link" to={`${base}/notifications`}>
                  {t('cockpit.allNotifications')}
                </Link>
              </p>
            }
          >
            {notes.map((n) => {
              const href = notificationHref(slug, n.link);
              return (
                <li key={n.id}>
                  {href ? (
                    <Link className="kern-link" to={href}>
                      {n.title}
                    </Link>
                  ) : (
                    <span>{n.title}</span>
                  )}
                  <span className="app-cockpit__meta">{formatDateTime(n.created_at, lng)}</span>
                </li>
              );
            })}
          </Section>
        )}
      </div>
    </>
  );
}
