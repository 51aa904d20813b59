import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api, call } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { ActionCell, Cell, Row, Table } from '../components/Table';
import { useMemberName } from '../documents/parts';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { acceptedItems, calledItem, committeeHref, meetingHref, minutesHref, seatRunning, sortSeats, weightNeeded, type Attendance, type AttendanceStatus, type Quorum, type Seat } from './model';
import { Crumbs, MeetingStateBadge, useCommitteesCtx } from './parts';
import { PollCard } from './PollCard';
import { PollDialog } from './PollDialog';
import { useMeeting } from './useMeeting';

/** The quorum now: reached or not, weight present of all, and what is needed. */
export function QuorumPanel({ quorum, title, testId }: { quorum: Quorum | null; title: string; testId: string }) {
  const { t } = useTranslation();
  if (!quorum) return <Loading inline />;
  const needed = weightNeeded(quorum.members_weight, quorum.rule);
  return (
    <div className={`app-quorum app-quorum--${quorum.reached ? 'reached' : 'missed'}`} data-testid={testId} data-reached={quorum.reached}>
      <p className="app-quorum__title">{title}</p>
      <p className="app-quorum__verdict">
        <span className={`kern-icon kern-icon--${quorum.reached ? 'success' : 'warning'}`} aria-hidden="true" />
        <strong>{quorum.reached ? t('committees.quorum.reached') : t('committees.quorum.missed')}</strong>
      </p>
      <p className="kern-body">
        {t('committees.quorum.present', { present: quorum.present_weight, members: quorum.members_weight, needed })}
        {quorum.excluded > 0 && <> {t('committees.quorum.excluded', { count: quorum.excluded })}</>}
      </p>
    </div>
  );
}

function statusText(a: Attendance | undefined, t: TFunction, lng: string): string {
  if (!a) return t('committees.attendance.none');
  if (a.status === 'present' && a.here) return t('committees.attendance.hereSince', { at: formatDateTime(a.arrived_at, lng) });
  if (a.status === 'present') return t('committees.attendance.leftAt', { at: formatDateTime(a.departed_at, lng) });
  return t(`committees.attendance.status.${a.status}`);
}

/** The chair's live console: attendance and quorum, the current agenda item and its polls. */
export function ConsolePage({ meetingId }: { meetingId: string }) {
  const { t, i18n } = useTranslation();
  const { slug } = useCommitteesCtx();
  const name = useMemberName();
  const navigate = useNavigate();
  const lng = i18n.language;
  const { meeting, committee, agenda, polls, versions, reload, error, partError } = useMeeting(meetingId);
  const [params, setParams] = useSearchParams();
  const [seats, setSeats] = useState<Seat[]>([]);
  const [attendance, setAttendance] = useState<Attendance[]>([]);
  const [quorum, setQuorum] = useState<Quorum | null>(null);
  const [itemQuorum, setItemQuorum] = useState<Quorum | null>(null);
  const [creating, setCreating] = useState(false);
  const [closing, setClosing] = useState(false);
  const [notice, setNotice] = useState('');
  const [announce, setAnnounce] = useState('');
  const mark = useAction();
  const callAction = useAction();
  const lastReached = useRef<boolean | null>(null);
  const path = { tenant: slug, id: meetingId };

  const committeeId = meeting?.committee_id;
  useEffect(() => {
    if (!committeeId) return;
    call(api.GET('/api/v1/t/{tenant}/committees/{id}/members', { params: { path: { tenant: slug, id: committeeId } } }))
      .then((r) => setSeats(r.members))
      .catch(() => undefined);
  }, [slug, committeeId, versions.meeting]);

  useEffect(() => {
    call(api.GET('/api/v1/t/{tenant}/meetings/{id}/attendance', { params: { path } }))
      .then((r) => setAttendance(r.attendance))
      .catch(() => undefined);
  }, [slug, meetingId, versions.attendance]); // eslint-disable-line react-hooks/exhaustive-deps

  const items = acceptedItems(agenda);
  // The console shows the item browsed to (?item=), else the one called, else the first.
  const called = meeting ? calledItem(meeting, items) : undefined;
  const current = items.find((i) => i.id === params.get('item')) ?? called ?? items[0];
  const currentIndex = current ? items.indexOf(current) : -1;

  useEffect(() => {
    call(api.GET('/api/v1/t/{tenant}/meetings/{id}/quorum', { params: { path } }))
      .then(setQuorum)
      .catch(() => undefined);
  }, [slug, meetingId, versions.quorum]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    if (!current) return;
    call(api.GET('/api/v1/t/{tenant}/meetings/{id}/quorum', { params: { path, query: { item: current.id } } }))
      .then(setItemQuorum)
      .catch(() => undefined);
  }, [slug, meetingId, versions.quorum, current?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  // Say it when the quorum is reached or lost.
  useEffect(() => {
    if (!quorum) return;
    if (lastReached.current !== null && lastReached.current !== quorum.reached) setAnnounce(quorum.reached ? t('committees.quorum.reached') : t('committees.quorum.missed'));
    lastReached.current = quorum.reached;
  }, [quorum, t]);

  if (error && !meeting) {
    return (
      <>
        <PageHeading title={t('committees.meeting.unavailable')}>{t('committees.meeting.unavailable')}</PageHeading>
        <ErrorAlert error={error} />
      </>
    );
  }
  if (!meeting || !committee) return <Loading />;

  const heading = t('committees.console.title', { title: meeting.title });
  const crumbs = [
    { label: committee.name, href: committeeHref(slug, committee.id) },
    { label: meeting.title, href: meetingHref(slug, meeting.id) },
    { label: t('committees.console.crumb') },
  ];
  if (!committee.can_manage || meeting.state !== 'in_session') {
    const why = !committee.can_manage ? 'committees.console.notManager' : meeting.state === 'cancelled' ? 'committees.console.cancelled' : 'committees.console.notInSession';
    return (
      <>
        <Crumbs items={crumbs} />
        <PageHeading title={heading}>{heading}</PageHeading>
        <Alert variant={meeting.state === 'cancelled' ? 'danger' : 'info'} title={t(why)}>
          {meeting.state === 'cancelled' && meeting.cancel_reason && (
            <p className="kern-body">{t('committees.meeting.cancelledReason', { reason: meeting.cancel_reason })}</p>
          )}
          <p className="kern-body">
            <Link className="kern-link" to={meetingHref(slug, meeting.id)}>
              {t('committees.console.back')}
            </Link>
          </p>
        </Alert>
      </>
    );
  }

  const seated = sortSeats(
    seats.filter((s) => seatRunning(s)),
    (id) => name(id),
  );
  const byMember = new Map(attendance.map((a) => [a.membership_id, a]));
  const presentVoters = (current && itemQuorum?.agenda_item_id === current.id ? itemQuorum.present : quorum?.present) ?? undefined;
  const itemPolls = current ? polls.filter((p) => p.agenda_item_id === current.id) : [];

  const setStatus = async (s: Seat, status: AttendanceStatus | 'departure') => {
    const who = name(s.membership_id);
    const res = await mark.run(() =>
      status === 'departure'
        ? call(api.POST('/api/v1/t/{tenant}/meetings/{id}/attendance/{membership}/departure', { params: { path: { ...path, membership: s.membership_id } } }))
        : call(api.PUT('/api/v1/t/{tenant}/meetings/{id}/attendance/{membership}', { params: { path: { ...path, membership: s.membership_id } }, body: { status } })),
    );
    if (res) {
      setAttendance((l) => [...l.filter((a) => a.membership_id !== res.membership_id), res]);
      setAnnounce(t(`committees.attendance.marked.${status}`, { name: who }));
      reload(['quorum']);
    }
  };

  const goTo = (i: number) => {
    const it = items[i];
    if (!it) return;
    setParams({ item: it.id }, { replace: true });
    setAnnounce(t('committees.console.nowAt', { number: it.number, title: it.title }));
  };

  // Calls the item shown as the current one for everyone.
  const callCurrent = async () => {
    if (!current) return;
    const res = await callAction.run(() =>
      call(api.PUT('/api/v1/t/{tenant}/meetings/{id}/current-item', { params: { path }, body: { agenda_item_id: current.id } })),
    );
    if (res) {
      setParams({ item: current.id }, { replace: true });
      setAnnounce(t('committees.console.calledDone', { number: current.number }));
      reload(['meeting']);
    }
  };

  // A poll running on another item than the one shown: always one step away.
  const running = polls.filter((p) => p.state === 'open' && p.agenda_item_id !== current?.id);

  return (
    <>
      <Crumbs items={crumbs} />
      <PageHeading title={heading} sub={committee.name}>
        {heading}
      </PageHeading>
      {notice && <Alert variant="success" title={notice} live="status" />}
      <ErrorAlert error={partError} focus={false} />
      <p className="app-status-line">
        <MeetingStateBadge state={meeting.state} />
        <span className="kern-body kern-body--small app-muted-line">{t('committees.live.meetingNote')}</span>
      </p>

      {running.map((p) => {
        const it = items.find((i) => i.id === p.agenda_item_id);
        return (
          <Alert key={p.id} variant="warning" title={t('committees.console.runningPoll', { number: it?.number ?? '?', title: p.title })} className="app-console__running">
            {it && (
              <div className="app-actions">
                <Button variant="secondary" small onClick={() => goTo(items.indexOf(it))}>
                  {t('committees.console.toRunning', { number: it.number })}
                </Button>
              </div>
            )}
          </Alert>
        );
      })}

      <div className="app-console">
        <section className="app-section app-console__quorum" aria-labelledby="console-quorum">
          <h2 id="console-quorum" className="kern-heading-medium">
            {t('committees.quorum.title')}
          </h2>
          <QuorumPanel quorum={quorum} title={t('committees.quorum.meeting')} testId="quorum-meeting" />
          {current && itemQuorum && itemQuorum.excluded > 0 && (
            <QuorumPanel quorum={itemQuorum} title={t('committees.quorum.item', { number: current.number })} testId="quorum-item" />
          )}
        </section>

        <section className="app-section app-console__item" aria-labelledby="console-item">
          <h2 id="console-item" className="kern-heading-medium">
            {t('committees.console.current')}
          </h2>
          {!current ? (
            <p className="kern-body kern-body--muted">{t('committees.agenda.none')}</p>
          ) : (
            <>
              <p className="app-console__position" id="console-position">
                {t('committees.console.position', { index: currentIndex + 1, count: items.length })}
              </p>
              <h3 className="kern-heading-small" data-testid="current-item">
                {t('committees.agenda.number', { number: current.number })}: {current.title}{' '}
                {current.public ? <Badge variant="success">{t('committees.agenda.public')}</Badge> : <Badge variant="warning">{t('committees.agenda.nonPublic')}</Badge>}
              </h3>
              {current.description && <p className="kern-body">{current.description}</p>}
              <p className="kern-body app-console__called" id="console-called" data-testid="console-called">
                {called?.id === current.id
                  ? t('committees.console.calledHere', { number: current.number })
                  : called
                    ? t('committees.console.calledElsewhere', { number: called.number })
                    : t('committees.console.calledNone')}
              </p>
              <ErrorAlert error={callAction.error} />
              <nav className="app-actions" aria-label={t('committees.console.itemNav')}>
                {/* Disabled at the ends; the position ("Punkt 1 von 3") says why. */}
                <Button variant="secondary" icon="chevron-left" disabled={currentIndex <= 0} aria-describedby="console-position" onClick={() => goTo(currentIndex - 1)}>
                  {t('committees.console.previous')}
                </Button>
                <Button variant="secondary" disabled={currentIndex >= items.length - 1} aria-describedby="console-position" onClick={() => goTo(currentIndex + 1)}>
                  {t('committees.console.next')}
                  <span className="kern-icon kern-icon--chevron-right" aria-hidden="true" />
                </Button>
                {called?.id !== current.id && (
                  <Button onClick={() => void callCurrent()} busy={callAction.busy} aria-describedby="console-called">
                    {t('committees.console.call')}
                  </Button>
                )}
              </nav>
              <h3 className="kern-heading-small app-subheading">{t('committees.console.itemPolls')}</h3>
              {itemPolls.length === 0 && <p className="kern-body kern-body--muted">{t('committees.console.noPolls')}</p>}
              <div className="app-polls">
                {itemPolls.map((p) => (
                  <PollCard
                    key={p.id}
                    poll={p}
                    manage
                    present={presentVoters}
                    items={items}
                    onChanged={() => reload(['polls', 'meeting'])}
                    onNotice={(text) => setNotice(text)}
                  />
                ))}
              </div>
              <div className="app-actions">
                <Button icon="add" onClick={() => setCreating(true)}>
                  {t('committees.poll.new')}
                </Button>
              </div>
            </>
          )}
        </section>
      </div>

      <section className="app-section" aria-labelledby="console-attendance">
        <h2 id="console-attendance" className="kern-heading-medium">
          {t('committees.attendance.title')}
        </h2>
        <ErrorAlert error={mark.error} />
        <Table
          labelledBy="console-attendance"
          columns={[t('committees.seat.name'), t('committees.seat.role'), t('committees.attendance.vote'), t('committees.attendance.statusCol')]}
          actions
        >
          {seated.map((s) => {
            const a = byMember.get(s.membership_id);
            const who = name(s.membership_id);
            return (
              <Row key={s.id} data-attendee={who} data-status={a ? (a.here ? 'here' : a.status) : 'none'}>
                <Cell>{who}</Cell>
                <Cell>{t(`committees.role.${s.role}`)}</Cell>
                <Cell>{s.voting ? t('committees.attendance.weight', { count: s.weight }) : t('committees.attendance.noVote')}</Cell>
                <Cell>{statusText(a, t, lng)}</Cell>
                <ActionCell>
                  {a?.here ? (
                    <Button variant="secondary" small onClick={() => void setStatus(s, 'departure')}>
                      {t('committees.attendance.depart')}
                      <span className="app-sr-only">: {who}</span>
                    </Button>
                  ) : (
                    <Button small onClick={() => void setStatus(s, 'present')}>
                      {t('committees.attendance.present')}
                      <span className="app-sr-only">: {who}</span>
                    </Button>
                  )}
                  {!a?.here && a?.status !== 'excused' && (
                    <Button variant="secondary" small onClick={() => void setStatus(s, 'excused')}>
                      {t('committees.attendance.excused')}
                      <span className="app-sr-only">: {who}</span>
                    </Button>
                  )}
                  {!a?.here && a?.status !== 'absent' && (
                    <Button variant="secondary" small onClick={() => void setStatus(s, 'absent')}>
                      {t('committees.attendance.absent')}
                      <span className="app-sr-only">: {who}</span>
                    </Button>
                  )}
                </ActionCell>
              </Row>
            );
          })}
        </Table>
      </section>

      <section className="app-section" aria-labelledby="console-end">
        <h2 id="console-end" className="kern-heading-medium">
          {t('committees.console.endTitle')}
        </h2>
        <p className="kern-body">{t('committees.console.endText')}</p>
        <div className="app-actions">
          <Button variant="secondary" onClick={() => setClosing(true)}>
            {t('committees.meeting.closeSession')}
          </Button>
          <Link className="kern-link" to={meetingHref(slug, meeting.id)}>
            {t('committees.console.back')}
          </Link>
        </div>
      </section>

      <p className="app-sr-only" role="status">
        {announce}
      </p>
      {current && (
        <PollDialog
          open={creating}
          target={{ agendaItemId: current.id }}
          title={t('committees.poll.newTitle', { number: current.number })}
          onClose={() => setCreating(false)}
          onCreated={(p) => {
            setNotice(t('committees.poll.created', { title: p.title }));
            reload(['polls']);
          }}
        />
      )}
      <ConfirmDialog
        open={closing}
        title={t('committees.meeting.closeTitle')}
        confirmLabel={t('committees.meeting.closeSession')}
        onClose={() => setClosing(false)}
        onConfirm={async () => {
          await call(api.POST('/api/v1/t/{tenant}/meetings/{id}/transitions', { params: { path }, body: { to: 'closed' } }));
          reload(['meeting', 'polls', 'attendance', 'quorum']);
          navigate(minutesHref(slug, meetingId));
        }}
      >
        <p className="kern-body">{t('committees.meeting.closeText')}</p>
      </ConfirmDialog>
    </>
  );
}
