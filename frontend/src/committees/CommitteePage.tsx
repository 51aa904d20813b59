import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { ActionCell, Cell, Row, Table } from '../components/Table';
import { folderHref, useMemberName } from '../documents/parts';
import { formatDate, formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { CommitteeDialog } from './CommitteeDialog';
import { MeetingDialog } from './MeetingDialog';
import { fractionText, meetingHref, pollHref, seatPhase, sortSeats, type Committee, type Meeting, type Poll, type Seat } from './model';
import { Crumbs, MeetingStateBadge, PollStateBadge, ruleText, useCommitteesCtx } from './parts';
import { PollDialog } from './PollDialog';
import { SeatDialog } from './SeatDialog';

type Pending = { kind: 'edit' } | { kind: 'add-seat' } | { kind: 'seat'; seat: Seat } | { kind: 'end-seat'; seat: Seat } | { kind: 'meeting' } | { kind: 'written' } | null;

/** One committee: its rules, its seats, its meetings and its written procedures. */
export function CommitteePage({ committeeId }: { committeeId: string }) {
  const { t, i18n } = useTranslation();
  const { slug } = useCommitteesCtx();
  const name = useMemberName();
  const lng = i18n.language;
  const [committee, setCommittee] = useState<Committee | null>(null);
  const [seats, setSeats] = useState<Seat[]>([]);
  const [meetings, setMeetings] = useState<Meeting[]>([]);
  const [polls, setPolls] = useState<Poll[]>([]);
  const [pending, setPending] = useState<Pending>(null);
  const [notice, setNotice] = useState('');
  const load = useAction();
  const path = { tenant: slug, id: committeeId };

  const reload = useCallback(async () => {
    const res = await load.run(() =>
      Promise.all([
        call(api.GET('/api/v1/t/{tenant}/committees/{id}', { params: { path } })),
        call(api.GET('/api/v1/t/{tenant}/committees/{id}/members', { params: { path } })),
        call(api.GET('/api/v1/t/{tenant}/committees/{id}/meetings', { params: { path } })),
        call(api.GET('/api/v1/t/{tenant}/committees/{id}/polls', { params: { path } })),
      ]),
    );
    if (!res) return;
    setCommittee(res[0]);
    setSeats(res[1].members);
    setMeetings(res[2].meetings);
    setPolls(res[3].polls);
  }, [slug, committeeId]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void reload();
  }, [reload]);

  if (load.error && !committee) {
    return (
      <>
        <Crumbs items={[{ label: t('committees.unavailable') }]} />
        <PageHeading title={t('committees.unavailable')}>{t('committees.unavailable')}</PageHeading>
        <ErrorAlert error={load.error} />
      </>
    );
  }
  if (!committee) return <Loading />;

  const manage = committee.can_manage;
  const written = polls.filter((p) => p.written);
  const rows = sortSeats(seats, (id) => name(id));
  const termText = (s: Seat) => {
    const from = formatDate(s.term_start, lng);
    return s.term_end ? t('committees.seat.termRange', { from, to: formatDate(new Date(Date.parse(s.term_end) - 1).toISOString(), lng) }) : t('committees.seat.termOpen', { from });
  };

  return (
    <>
      <Crumbs items={[{ label: committee.name }]} />
      <PageHeading title={committee.name} sub={committee.description || undefined}>
        {committee.name}
      </PageHeading>
      {notice && <Alert variant="success" title={notice} live="status" />}
      <ErrorAlert error={load.error} focus={false} />

      <section className="app-section" aria-labelledby="committee-rules">
        <h2 id="committee-rules" className="kern-heading-medium">
          {t('committees.rulesTitle')}
        </h2>
        <dl className="kern-description-list">
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('committees.fields.quorum')}</dt>
            <dd className="kern-description-list-item__value">
              {t(committee.quorum.inclusive ? 'committees.quorumAtLeast' : 'committees.quorumMore', { fraction: fractionText(committee.quorum) })}
            </dd>
          </div>
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('committees.fields.defaultRule')}</dt>
            <dd className="kern-description-list-item__value">{ruleText(committee.default_rule, t)}</dd>
          </div>
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('committees.fields.proxy')}</dt>
            <dd className="kern-description-list-item__value">{committee.proxy_allowed ? t('committees.yes') : t('committees.no')}</dd>
          </div>
          <div className="kern-description-list-item">
            <dt className="kern-description-list-item__key">{t('committees.fields.public')}</dt>
            <dd className="kern-description-list-item__value">{committee.public ? t('committees.yes') : t('committees.no')}</dd>
          </div>
          {committee.filing_folder_id && (
            <div className="kern-description-list-item">
              <dt className="kern-description-list-item__key">{t('committees.fields.folder')}</dt>
              <dd className="kern-description-list-item__value">
                <Link className="kern-link" to={folderHref(slug, committee.filing_folder_id)} data-testid="committee-folder">
                  {t('committees.folderLink', { name: committee.name })}
                </Link>
                <span className="app-muted-line">{t('committees.folderHint')}</span>
              </dd>
            </div>
          )}
          {committee.my_role && (
            <div className="kern-description-list-item">
              <dt className="kern-description-list-item__key">{t('committees.myRole')}</dt>
              <dd className="kern-description-list-item__value">{t(`committees.role.${committee.my_role}`)}</dd>
            </div>
          )}
        </dl>
        {manage && (
          <div className="app-actions">
            <Button variant="secondary" icon="edit" onClick={() => setPending({ kind: 'edit' })}>
              {t('committees.edit.button')}
            </Button>
          </div>
        )}
      </section>

      <section className="app-section" aria-labelledby="committee-meetings">
        <h2 id="committee-meetings" className="kern-heading-medium" tabIndex={-1}>
          {t('committees.meetingsTitle')}
        </h2>
        {manage && (
          <div className="app-actions">
            <Button icon="add" onClick={() => setPending({ kind: 'meeting' })}>
              {t('committees.meeting.new')}
            </Button>
          </div>
        )}
        <Table
          empty={<p className="kern-body kern-body--muted">{t('committees.meetingsNone')}</p>}
          labelledBy="committee-meetings"
          columns={[t('committees.meeting.title'), t('committees.meeting.date'), t('committees.meeting.place'), t('committees.meeting.state')]}
        >
          {meetings.map((m) => (
            <Row key={m.id} data-meeting={m.title}>
              <Cell>
                <Link className="kern-link" to={meetingHref(slug, m.id)}>
                  {m.title}
                </Link>
              </Cell>
              <Cell>{formatDateTime(m.starts_at, lng)}</Cell>
              <Cell>{m.place || (m.online_url ? t('committees.meeting.onlineOnly') : '—')}</Cell>
              <Cell>
                <MeetingStateBadge state={m.state} />
              </Cell>
            </Row>
          ))}
        </Table>
      </section>

      <section className="app-section" aria-labelledby="committee-seats">
        <h2 id="committee-seats" className="kern-heading-medium" tabIndex={-1}>
          {t('committees.seatsTitle')}
        </h2>
        {manage && (
          <div className="app-actions">
            <Button icon="add" onClick={() => setPending({ kind: 'add-seat' })}>
              {t('committees.seat.addButton')}
            </Button>
          </div>
        )}
        {rows.length > 0 && <p className="kern-body kern-body--small app-muted-line">{t('committees.poll.secretOnePerPerson')}.</p>}
        <Table
          empty={<p className="kern-body kern-body--muted">{t('committees.seatsNone')}</p>}
          labelledBy="committee-seats"
          columns={[t('committees.seat.name'), t('committees.seat.role'), t('committees.seat.votingShort'), t('committees.seat.weight'), t('committees.seat.term')]}
          actions={manage}
        >
          {rows.map((s) => {
            const phase = seatPhase(s);
            return (
              <Row key={s.id} data-seat={name(s.membership_id)}>
                <Cell>
                  {name(s.membership_id)}
                  {phase !== 'running' && (
                    <>
                      {' '}
                      <Badge variant="info">{t(`committees.seat.phase.${phase}`)}</Badge>
                    </>
                  )}
                </Cell>
                <Cell>{t(`committees.role.${s.role}`)}</Cell>
                <Cell>{s.voting ? t('committees.yes') : t('committees.no')}</Cell>
                <Cell>{s.weight}</Cell>
                <Cell>{termText(s)}</Cell>
                {manage && (
                  <ActionCell>
                    <Button variant="secondary" small onClick={() => setPending({ kind: 'seat', seat: s })}>
                      {t('committees.seat.change')}
                      <span className="app-sr-only">: {name(s.membership_id)}</span>
                    </Button>
                    {phase !== 'ended' && (
                      <Button variant="secondary" small onClick={() => setPending({ kind: 'end-seat', seat: s })}>
                        {t('committees.seat.end')}
                        <span className="app-sr-only">: {name(s.membership_id)}</span>
                      </Button>
                    )}
                  </ActionCell>
                )}
              </Row>
            );
          })}
        </Table>
      </section>

      <section className="app-section" aria-labelledby="committee-written">
        <h2 id="committee-written" className="kern-heading-medium" tabIndex={-1}>
          {t('committees.writtenTitle')}
        </h2>
        <p className="kern-body">{t('committees.writtenLead')}</p>
        {manage && (
          <div className="app-actions">
            <Button icon="add" onClick={() => setPending({ kind: 'written' })}>
              {t('committees.written.new')}
            </Button>
          </div>
        )}
        <Table
          empty={<p className="kern-body kern-body--muted">{t('committees.writtenNone')}</p>}
          labelledBy="committee-written"
          columns={[t('committees.poll.title'), t('committees.poll.deadline'), t('committees.poll.state'), t('committees.poll.ballots')]}
        >
          {written.map((p) => (
            <Row key={p.id}>
              <Cell>
                <Link className="kern-link" to={pollHref(slug, p.id)}>
                  {p.title}
                </Link>
              </Cell>
              <Cell>{formatDateTime(p.deadline, lng)}</Cell>
              <Cell>
                <PollStateBadge state={p.state} />
              </Cell>
              <Cell>{p.ballots}</Cell>
            </Row>
          ))}
        </Table>
      </section>

      <CommitteeDialog
        open={pending?.kind === 'edit'}
        committee={committee}
        onClose={() => setPending(null)}
        onSubmit={async (body) => {
          const c = await call(api.PATCH('/api/v1/t/{tenant}/committees/{id}', { params: { path }, body }));
          setCommittee(c);
          setNotice(t('committees.edit.done'));
        }}
      />
      <SeatDialog
        open={pending?.kind === 'add-seat' || pending?.kind === 'seat'}
        seat={pending?.kind === 'seat' ? pending.seat : undefined}
        seatName={pending?.kind === 'seat' ? name(pending.seat.membership_id) : undefined}
        onClose={() => setPending(null)}
        onSubmit={async (membership, body, who) => {
          await call(api.PUT('/api/v1/t/{tenant}/committees/{id}/members/{membership}', { params: { path: { ...path, membership } }, body }));
          setNotice(t('committees.seat.saved', { name: who, role: t(`committees.role.${body.role}`) }));
          await reload();
        }}
      />
      <ConfirmDialog
        open={pending?.kind === 'end-seat'}
        title={pending?.kind === 'end-seat' ? t('committees.seat.endTitle', { name: name(pending.seat.membership_id) }) : ''}
        confirmLabel={t('committees.seat.end')}
        onClose={() => setPending(null)}
        onConfirm={async () => {
          if (pending?.kind !== 'end-seat') return;
          await call(api.DELETE('/api/v1/t/{tenant}/committees/{id}/members/{membership}', { params: { path: { ...path, membership: pending.seat.membership_id } } }));
          setNotice(t('committees.seat.ended', { name: name(pending.seat.membership_id) }));
          await reload();
        }}
      >
        <p className="kern-body">{t('committees.seat.endText')}</p>
      </ConfirmDialog>
      <MeetingDialog
        open={pending?.kind === 'meeting'}
        onClose={() => setPending(null)}
        onSubmit={async (body) => {
          const m = await call(api.POST('/api/v1/t/{tenant}/committees/{id}/meetings', { params: { path }, body }));
          setMeetings((l) => [...l, m].sort((a, b) => a.starts_at.localeCompare(b.starts_at)));
          setNotice(t('committees.meeting.created', { title: m.title }));
        }}
      />
      <PollDialog
        open={pending?.kind === 'written'}
        target={{ committeeId }}
        title={t('committees.written.newTitle')}
        onClose={() => setPending(null)}
        onCreated={(p) => {
          setPolls((l) => [...l, p]);
          setNotice(t('committees.written.created', { title: p.title }));
        }}
      />
    </>
  );
}
