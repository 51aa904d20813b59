import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, call } from '../api/client';
import { useMe } from '../auth/session';
import { Alert, ErrorAlert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { usePersonName } from '../documents/parts';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { AgendaItemCard } from './AgendaItem';
import { DelegationPanel } from './Delegation';
import { ItemDialog } from './ItemDialog';
import { CancelMeetingDialog, MeetingDialog } from './MeetingDialog';
import { acceptedItems, calledItem, committeeHref, consoleHref, meetingOpen, minutesHref, nextMeetingState, pollHref, reorderAccepted, type AgendaItem, type Meeting, type MeetingStep, type Poll } from './model';
import { Crumbs, MeetingStateBadge, PollStateBadge, useCommitteesCtx } from './parts';
import { PollCard } from './PollCard';
import { useMeeting } from './useMeeting';

/** The time span of a meeting: "4. Mai 2026, 18:00 – 20:00" (the end's date only when it differs). */
export function meetingWhen(startsAt: string, endsAt: string, lng: string): string {
  const s = new Date(startsAt);
  const e = new Date(endsAt);
  const locale = lng === 'en' ? 'en-GB' : 'de-DE';
  const sameDay = s.toDateString() === e.toDateString();
  const end = sameDay ? new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(e) : formatDateTime(endsAt, lng);
  return `${formatDateTime(startsAt, lng)} – ${end}`;
}

/**
 * The texts of the meeting invitation: its dialog and the notice after it.
 * They promise the members an e-mail only when Kollab sends mails (KOLLAB_SMTP_URL).
 */
export function inviteTexts(mailConfigured: boolean) {
  return mailConfigured
    ? ({ text: 'committees.meeting.inviteText', done: 'committees.meeting.advanced.invited' } as const)
    : ({ text: 'committees.meeting.inviteTextNoMail', done: 'committees.meeting.advanced.invitedNoMail' } as const);
}

type Pending = { kind: 'edit' } | { kind: 'advance'; to: MeetingStep } | { kind: 'item' } | { kind: 'cancel' } | null;

/**
 * The item being dealt with now ("jetzt: TOP 3 – Haushalt"), while the meeting is in
 * session: in words and with an icon, never by colour alone; a polite live region, so that
 * a screen reader hears when the chair calls the next item.
 */
export function NowBanner({ meeting, items }: { meeting: Pick<Meeting, 'state' | 'current_item_id'>; items: AgendaItem[] }) {
  const { t } = useTranslation();
  if (meeting.state !== 'in_session') return null;
  const called = calledItem(meeting, items);
  return (
    <section className={`app-now${called ? '' : ' app-now--none'}`} aria-label={t('committees.meeting.nowLabel')} data-testid="now-banner">
      <p className="app-now__text" aria-live="polite" aria-atomic="true">
        {called ? (
          <>
            <span className="kern-icon kern-icon--chevron-right" aria-hidden="true" />
            <strong>{t('committees.meeting.now', { number: called.number })}</strong>
            <span> – {called.title}</span>
          </>
        ) : (
          t('committees.meeting.nowNone')
        )}
      </p>
    </section>
  );
}

/** A meeting: date and place, state and its next step, agenda with papers, discussion and conflicts, and its polls. */
export function MeetingPage({ meetingId }: { meetingId: string }) {
  const { t, i18n } = useTranslation();
  const { slug } = useCommitteesCtx();
  const navigate = useNavigate();
  const name = usePersonName();
  const { meeting, committee, agenda, papers, polls, versions, reload, setAgenda, error, partError } = useMeeting(meetingId);
  const [pending, setPending] = useState<Pending>(null);
  const [notice, setNotice] = useState('');
  const move = useAction();
  const decide = useAction();
  const lng = i18n.language;
  const mailConfigured = useMe().mail_configured;
  const invite = inviteTexts(mailConfigured);

  if (error && !meeting) {
    return (
      <>
        <Crumbs items={[{ label: t('committees.meeting.unavailable') }]} />
        <PageHeading title={t('committees.meeting.unavailable')}>{t('committees.meeting.unavailable')}</PageHeading>
        <ErrorAlert error={error} />
      </>
    );
  }
  if (!meeting || !committee) return <Loading />;

  const manage = committee.can_manage;
  const seated = Boolean(committee.my_role);
  const open = meetingOpen(meeting.state);
  const items = acceptedItems(agenda);
  const proposals = agenda.filter((i) => i.state === 'proposed');
  const declined = agenda.filter((i) => i.state === 'declined');
  const next = nextMeetingState(meeting.state);
  const livePolls = polls.filter((p) => p.state !== 'draft');
  const pollsOf = (it: AgendaItem) => polls.filter((p) => p.agenda_item_id === it.id);
  const minutesVisible = meeting.state === 'minutes_approved' || (manage && meeting.state === 'closed');

  const moveItem = async (it: AgendaItem, delta: -1 | 1) => {
    const order = reorderAccepted(agenda, it.id, delta);
    const res = await move.run(() => call(api.PUT('/api/v1/t/{tenant}/meetings/{id}/agenda/order', { params: { path: { tenant: slug, id: meetingId } }, body: { order } })));
    if (!res) return;
    setAgenda(res.items);
    const idx = acceptedItems(res.items).findIndex((x) => x.id === it.id);
    const n = acceptedItems(res.items).length;
    setNotice(t('committees.agenda.moved', { title: it.title, number: idx + 1 }));
    // Focus stays on the moved item's button, or its twin once it reached an edge.
    setTimeout(() => {
      const want = delta < 0 ? (idx === 0 ? 'down' : 'up') : idx === n - 1 ? 'up' : 'down';
      document.getElementById(`move-${want}-${it.id}`)?.focus();
    }, 0);
  };

  const decideItem = async (it: AgendaItem, accept: boolean) => {
    const res = await decide.run(() =>
      call(api.POST('/api/v1/t/{tenant}/agenda-items/{id}/decision', { params: { path: { tenant: slug, id: it.id } }, body: { decision: accept ? 'accept' : 'decline' } })),
    );
    if (res) {
      setNotice(t(accept ? 'committees.agenda.accepted' : 'committees.agenda.declined', { title: it.title }));
      reload(['agenda']);
    }
  };

  const advanceText: Record<MeetingStep, { button: string; title: string; text: string }> = {
    invited: { button: t('committees.meeting.invite'), title: t('committees.meeting.inviteTitle'), text: t(invite.text) },
    in_session: { button: t('committees.meeting.openSession'), title: t('committees.meeting.openTitle'), text: t('committees.meeting.openText') },
    closed: { button: t('committees.meeting.closeSession'), title: t('committees.meeting.closeTitle'), text: t('committees.meeting.closeText') },
  };

  return (
    <>
      <Crumbs items={[{ label: committee.name, href: committeeHref(slug, committee.id) }, { label: meeting.title }]} />
      <PageHeading title={meeting.title} sub={committee.name}>
        {meeting.title}
      </PageHeading>
      {notice && <Alert variant="success" title={notice} live="status" />}
      <ErrorAlert error={partError} focus={false} />
      <NowBanner meeting={meeting} items={items} />
      {meeting.state === 'cancelled' && (
        <Alert variant="danger" title={t('committees.meeting.cancelledTitle')} className="app-cancelled">
          {meeting.cancel_reason && (
            <p className="kern-body" data-testid="cancel-reason">
              {t('committees.meeting.cancelledReason', { reason: meeting.cancel_reason })}
            </p>
          )}
          {meeting.cancelled_at && <p className="kern-body kern-body--small">{t('committees.meeting.cancelledAt', { at: formatDateTime(meeting.cancelled_at, lng) })}</p>}
        </Alert>
      )}

      <section className="app-section app-meeting-facts" aria-labelledby="meeting-facts">
        <h2 id="meeting-facts" className="app-sr-only">
          {t('committees.meeting.facts')}
        </h2>
        <dl className="kern-description-list">
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('committees.meeting.state')}</dt>
            <dd className="kern-description-list-item__value" data-testid="meeting-state">
              <MeetingStateBadge state={meeting.state} />
            </dd>
          </div>
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('committees.meeting.date')}</dt>
            <dd className="kern-description-list-item__value">{meetingWhen(meeting.starts_at, meeting.ends_at, lng)}</dd>
          </div>
          {meeting.place && (
            <div className="kern-description-list-item">
              <dt className="kern-description-list-item__key">{t('committees.meeting.place')}</dt>
              <dd className="kern-description-list-item__value">{meeting.place}</dd>
            </div>
          )}
          {meeting.online_url && (
            <div className="kern-description-list-item">
              <dt className="kern-description-list-item__key">{t('committees.meeting.online')}</dt>
              <dd className="kern-description-list-item__value">
                <a className="kern-link app-break" href={meeting.online_url} target="_blank" rel="noopener noreferrer">
                  {meeting.online_url}
                  <span className="app-sr-only"> ({t('committees.newWindow')})</span>
                </a>
              </dd>
            </div>
          )}
        </dl>
        <div className="app-actions">
          {manage && next && (
            <Button onClick={() => setPending({ kind: 'advance', to: next })}>{advanceText[next].button}</Button>
          )}
          {manage && meeting.state === 'in_session' && (
            <Link className="kern-btn kern-btn--primary" to={consoleHref(slug, meeting.id)}>
              <span className="kern-icon kern-icon--checklist" aria-hidden="true" />
              <span className="kern-label">{t('committees.console.link')}</span>
            </Link>
          )}
          {manage && (meeting.state === 'planned' || meeting.state === 'invited') && (
            <Button variant="secondary" icon="edit" onClick={() => setPending({ kind: 'edit' })}>
              {t('committees.meeting.edit')}
            </Button>
          )}
          {manage && (meeting.state === 'planned' || meeting.state === 'invited') && (
            <Button variant="secondary" onClick={() => setPending({ kind: 'cancel' })} aria-describedby="meeting-cancel-who">
              {t('committees.meeting.cancel')}
            </Button>
          )}
          {minutesVisible && (
            <Link className="kern-btn kern-btn--secondary" to={minutesHref(slug, meeting.id)}>
              <span className="kern-icon kern-icon--draft" aria-hidden="true" />
              <span className="kern-label">{t('committees.minutes.link')}</span>
            </Link>
          )}
        </div>
        {manage && (meeting.state === 'planned' || meeting.state === 'invited') && (
          <p id="meeting-cancel-who" className="kern-body kern-body--small app-muted-line">
            {t('committees.meeting.cancelWho')}
          </p>
        )}
        {open && <p className="kern-body kern-body--small app-muted-line">{t('committees.live.meetingNote')}</p>}
      </section>

      {seated && meeting.state !== 'cancelled' && <DelegationPanel meeting={meeting} committee={committee} refresh={versions.polls} />}

      {livePolls.length > 0 && (
        <section className="app-section" aria-labelledby="meeting-polls">
          <h2 id="meeting-polls" className="kern-heading-medium">
            {t('committees.meeting.polls')}
          </h2>
          <div className="app-polls">
            {[...livePolls]
              .sort((a, b) => (a.state === 'open' ? 0 : 1) - (b.state === 'open' ? 0 : 1) || b.created_at.localeCompare(a.created_at))
              .map((p) => (
                <PollCard key={p.id} poll={p} manage={false} onChanged={() => reload(['polls'])} />
              ))}
          </div>
        </section>
      )}

      <section className="app-section" aria-labelledby="meeting-agenda">
        <h2 id="meeting-agenda" className="kern-heading-medium" tabIndex={-1}>
          {t('committees.agenda.title')}
        </h2>
        {open && (manage || seated) && (
          <div className="app-actions">
            <Button icon="add" variant={manage ? 'primary' : 'secondary'} onClick={() => setPending({ kind: 'item' })}>
              {manage ? t('committees.agenda.add') : t('committees.agenda.propose')}
            </Button>
          </div>
        )}
        <ErrorAlert error={move.error} />
        {items.length === 0 ? (
          <p className="kern-body kern-body--muted">{t('committees.agenda.none')}</p>
        ) : (
          <ol className="app-agenda" aria-label={t('committees.agenda.listLabel')}>
            {items.map((it, i) => (
              <AgendaItemCard
                key={it.id}
                item={it}
                index={i}
                count={items.length}
                papers={papers.filter((p) => p.agenda_item_id === it.id)}
                versions={{ posts: versions.posts, conflicts: versions.conflicts }}
                manage={manage}
                seated={seated}
                open={open}
                busy={move.busy}
                onMove={(d) => void moveItem(it, d)}
                onChanged={(what) => reload([what])}
              >
                <ItemPolls polls={pollsOf(it)} />
              </AgendaItemCard>
            ))}
          </ol>
        )}
      </section>

      {(proposals.length > 0 || declined.length > 0) && (
        <section className="app-section" aria-labelledby="meeting-proposals">
          <h2 id="meeting-proposals" className="kern-heading-medium">
            {t('committees.agenda.proposals')}
          </h2>
          <ErrorAlert error={decide.error} />
          {proposals.length === 0 && <p className="kern-body kern-body--muted">{t('committees.agenda.noProposals')}</p>}
          <ul className="app-proposals">
            {proposals.map((it) => (
              <li key={it.id} className="app-proposal" data-proposal={it.title}>
                <p className="kern-body">
                  <strong>{it.title}</strong> <Badge variant="info">{t('committees.agenda.proposed')}</Badge>{' '}
                  {it.public ? <Badge variant="success">{t('committees.agenda.public')}</Badge> : <Badge variant="warning">{t('committees.agenda.nonPublic')}</Badge>}
                </p>
                {it.description && <p className="kern-body">{it.description}</p>}
                <p className="app-muted-line">{t('committees.agenda.proposedBy', { name: name(it.proposed_by), at: formatDateTime(it.created_at, lng) })}</p>
                {manage && open && (
                  <div className="app-row-actions">
                    <Button small onClick={() => void decideItem(it, true)} busy={decide.busy}>
                      {t('committees.agenda.accept')}
                      <span className="app-sr-only">: {it.title}</span>
                    </Button>
                    <Button small variant="secondary" onClick={() => void decideItem(it, false)} busy={decide.busy}>
                      {t('committees.agenda.decline')}
                      <span className="app-sr-only">: {it.title}</span>
                    </Button>
                  </div>
                )}
              </li>
            ))}
          </ul>
          {declined.length > 0 && (
            <details className="app-declined">
              <summary className="kern-link">{t('committees.agenda.declinedTitle', { count: declined.length })}</summary>
              <ul>
                {declined.map((it) => (
                  <li key={it.id} className="kern-body">
                    {it.title} <span className="app-muted-line">{t('committees.agenda.proposedBy', { name: name(it.proposed_by), at: formatDateTime(it.created_at, lng) })}</span>
                  </li>
                ))}
              </ul>
            </details>
          )}
        </section>
      )}

      <MeetingDialog
        open={pending?.kind === 'edit'}
        meeting={meeting}
        onClose={() => setPending(null)}
        onSubmit={async (body) => {
          await call(api.PATCH('/api/v1/t/{tenant}/meetings/{id}', { params: { path: { tenant: slug, id: meeting.id } }, body }));
          setNotice(t('committees.meeting.saved'));
          reload(['meeting']);
        }}
      />
      <CancelMeetingDialog
        open={pending?.kind === 'cancel'}
        meeting={meeting}
        mailConfigured={mailConfigured}
        onClose={() => setPending(null)}
        onDone={() => {
          setNotice(t('committees.meeting.cancelled'));
          reload(['meeting', 'agenda', 'papers', 'polls']);
        }}
      />
      <ItemDialog
        open={pending?.kind === 'item'}
        propose={!manage}
        onClose={() => setPending(null)}
        onSubmit={async (body) => {
          const it = await call(api.POST('/api/v1/t/{tenant}/meetings/{id}/agenda', { params: { path: { tenant: slug, id: meeting.id } }, body }));
          setNotice(t(it.state === 'proposed' ? 'committees.agenda.proposedDone' : 'committees.agenda.added', { title: it.title }));
          reload(['agenda']);
        }}
      />
      {pending?.kind === 'advance' && (
        <ConfirmDialog
          open
          title={advanceText[pending.to].title}
          confirmLabel={advanceText[pending.to].button}
          onClose={() => setPending(null)}
          onConfirm={async () => {
            const to = pending.to;
            await call(api.POST('/api/v1/t/{tenant}/meetings/{id}/transitions', { params: { path: { tenant: slug, id: meeting.id } }, body: { to } }));
            reload(['meeting', 'papers', 'polls']);
            setNotice(t(to === 'invited' ? invite.done : `committees.meeting.advanced.${to}`));
            if (to === 'in_session') navigate(consoleHref(slug, meeting.id));
          }}
        >
          <p className="kern-body">{advanceText[pending.to].text}</p>
        </ConfirmDialog>
      )}
    </>
  );
}

/** The polls of one item, as links with their state. */
function ItemPolls({ polls }: { polls: Poll[] }) {
  const { t } = useTranslation();
  const { slug } = useCommitteesCtx();
  if (polls.length === 0) return null;
  return (
    <div className="app-item__part">
      <h4 className="kern-label app-item__subhead">{t('committees.meeting.itemPolls')}</h4>
      <ul className="app-item-polls">
        {polls.map((p) => (
          <li key={p.id}>
            <Link className="kern-link" to={pollHref(slug, p.id)}>
              {p.title}
            </Link>{' '}
            <PollStateBadge state={p.state} />
          </li>
        ))}
      </ul>
    </div>
  );
}
