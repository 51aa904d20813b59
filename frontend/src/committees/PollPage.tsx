import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { useAction } from '../lib/useAction';
import { committeeHref, meetingHref, type AgendaItem, type Committee, type Meeting, type Poll } from './model';
import { Crumbs, useCommitteesCtx } from './parts';
import { PollCard } from './PollCard';

/**
 * One poll (the address invitation and reminder mails link to): the member's ballot with
 * the live count, the chair's controls, and the result once published.
 */
export function PollPage({ pollId }: { pollId: string }) {
  const { t } = useTranslation();
  const { slug } = useCommitteesCtx();
  const [poll, setPoll] = useState<Poll | null>(null);
  const [committee, setCommittee] = useState<Committee | null>(null);
  const [meeting, setMeeting] = useState<Meeting | null>(null);
  const [item, setItem] = useState<AgendaItem | null>(null);
  const load = useAction();

  const read = async () => {
    const p = await call(api.GET('/api/v1/t/{tenant}/polls/{id}', { params: { path: { tenant: slug, id: pollId } } }));
    const [c, m, agenda] = await Promise.all([
      call(api.GET('/api/v1/t/{tenant}/committees/{id}', { params: { path: { tenant: slug, id: p.committee_id } } })),
      p.meeting_id ? call(api.GET('/api/v1/t/{tenant}/meetings/{id}', { params: { path: { tenant: slug, id: p.meeting_id } } })) : Promise.resolve(null),
      p.meeting_id ? call(api.GET('/api/v1/t/{tenant}/meetings/{id}/agenda', { params: { path: { tenant: slug, id: p.meeting_id } } })) : Promise.resolve(null),
    ]);
    setPoll(p);
    setCommittee(c);
    setMeeting(m);
    setItem(agenda?.items.find((i) => i.id === p.agenda_item_id) ?? null);
  };

  useEffect(() => {
    void load.run(read);
  }, [slug, pollId]); // eslint-disable-line react-hooks/exhaustive-deps

  if (load.error && !poll) {
    return (
      <>
        <Crumbs items={[{ label: t('committees.poll.unavailable') }]} />
        <PageHeading title={t('committees.poll.unavailable')}>{t('committees.poll.unavailable')}</PageHeading>
        <ErrorAlert error={load.error} />
      </>
    );
  }
  if (!poll || !committee) return <Loading />;

  const crumbs: { label: string; href?: string }[] = [{ label: committee.name, href: committeeHref(slug, committee.id) }];
  if (meeting) crumbs.push({ label: meeting.title, href: meetingHref(slug, meeting.id) });
  crumbs.push({ label: poll.title });
  const context = poll.written
    ? t('committees.poll.writtenContext', { committee: committee.name })
    : item
      ? t('committees.poll.itemContext', { number: item.number, title: item.title })
      : committee.name;

  return (
    <>
      <Crumbs items={crumbs} />
      <PageHeading title={poll.title} sub={context}>
        {poll.title}
      </PageHeading>
      <PollCard
        poll={poll}
        manage={committee.can_manage}
        follow
        level={2}
        link={false}
        heading={t('committees.poll.pageHeading')}
        onChanged={() => void read().catch(() => undefined)}
      />
      {meeting && (
        <p className="kern-body app-back">
          <Link className="kern-link" to={meetingHref(slug, meeting.id)}>
            {t('committees.poll.toMeeting', { title: meeting.title })}
          </Link>
        </p>
      )}
    </>
  );
}
