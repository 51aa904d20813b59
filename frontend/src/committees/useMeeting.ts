// A meeting with what its screens show, read again part by part as the live stream says
// what changed (and after the page's own actions).
import { useEffect, useState } from 'react';
import { api, call } from '../api/client';
import { useMeetingLive, type Part, type Versions } from './live';
import { meetingEventsURL, type AgendaItem, type Committee, type Meeting, type Paper, type Poll } from './model';
import { useCommitteesCtx } from './parts';

export interface MeetingData {
  meeting: Meeting | null;
  committee: Committee | null;
  agenda: AgendaItem[];
  papers: Paper[];
  polls: Poll[];
  versions: Versions;
  reload: (parts: Part[]) => void;
  /** Takes an agenda the server answered (after a reorder) without reading it again. */
  setAgenda: (items: AgendaItem[]) => void;
  /** The first read failed (the meeting is missing or not visible). */
  error: unknown;
  /** A later read failed (shown without replacing the page). */
  partError: unknown;
}

export function useMeeting(meetingId: string): MeetingData {
  const { slug } = useCommitteesCtx();
  const [versions, reload] = useMeetingLive(meetingEventsURL(slug, meetingId));
  const [meeting, setMeeting] = useState<Meeting | null>(null);
  const [committee, setCommittee] = useState<Committee | null>(null);
  const [agenda, setAgenda] = useState<AgendaItem[]>([]);
  const [papers, setPapers] = useState<Paper[]>([]);
  const [polls, setPolls] = useState<Poll[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [partError, setPartError] = useState<unknown>(null);
  const path = { tenant: slug, id: meetingId };
  // Parts read independently (and concurrently); a failure is kept for display.
  const read = (fn: () => Promise<void>, isFirst = false) =>
    fn().then(
      () => setPartError(null),
      (e: unknown) => (isFirst ? setError(e) : setPartError(e)),
    );

  useEffect(() => {
    void read(async () => {
      const m = await call(api.GET('/api/v1/t/{tenant}/meetings/{id}', { params: { path } }));
      const c = await call(api.GET('/api/v1/t/{tenant}/committees/{id}', { params: { path: { tenant: slug, id: m.committee_id } } }));
      setMeeting(m);
      setCommittee(c);
    }, versions.meeting === 0);
  }, [slug, meetingId, versions.meeting]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void read(async () => setAgenda((await call(api.GET('/api/v1/t/{tenant}/meetings/{id}/agenda', { params: { path } }))).items));
  }, [slug, meetingId, versions.agenda]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void read(async () => setPapers((await call(api.GET('/api/v1/t/{tenant}/meetings/{id}/papers', { params: { path } }))).papers));
  }, [slug, meetingId, versions.papers]); // eslint-disable-line react-hooks/exhaustive-deps

  const committeeId = meeting?.committee_id;
  useEffect(() => {
    if (!committeeId) return;
    void read(async () => {
      const res = await call(api.GET('/api/v1/t/{tenant}/committees/{id}/polls', { params: { path: { tenant: slug, id: committeeId } } }));
      setPolls(res.polls.filter((p) => p.meeting_id === meetingId));
    });
  }, [slug, meetingId, committeeId, versions.polls]); // eslint-disable-line react-hooks/exhaustive-deps

  return { meeting, committee, agenda, papers, polls, versions, reload, setAgenda, error, partError };
}
