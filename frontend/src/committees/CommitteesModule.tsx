import { Navigate, Route, Routes, useParams } from 'react-router';
import { useTenant } from '../auth/gates';
import { DocsProvider } from '../documents/context';
import { CommitteePage } from './CommitteePage';
import { CommitteesPage } from './CommitteesPage';
import './committees.css';
import { ConsolePage } from './ConsolePage';
import { MeetingPage } from './MeetingPage';
import { MinutesPage } from './MinutesPage';
import { committeesBase } from './model';
import { PollPage } from './PollPage';

function CommitteeRoute() {
  const { committeeId } = useParams();
  // A new committee is a new page: remount, so that its heading takes focus.
  return <CommitteePage key={committeeId} committeeId={committeeId ?? ''} />;
}

function MeetingRoute({ view }: { view: 'page' | 'console' | 'minutes' }) {
  const { meetingId = '' } = useParams();
  if (view === 'console') return <ConsolePage key={meetingId} meetingId={meetingId} />;
  if (view === 'minutes') return <MinutesPage key={meetingId} meetingId={meetingId} />;
  return <MeetingPage key={meetingId} meetingId={meetingId} />;
}

function PollRoute() {
  const { pollId = '' } = useParams();
  return <PollPage key={pollId} pollId={pollId} />;
}

/**
 * Committees (Gremien): committees and their seats, meetings with agenda, papers and
 * discussion, the chair's live console, voting and minutes (loaded on demand as its own
 * chunk). Mounted at /t/:slug/committees, /t/:slug/meetings and /t/:slug/polls, the
 * addresses that invitation mails link to.
 */
export default function CommitteesModule({ area }: { area: 'committees' | 'meetings' | 'polls' }) {
  const tenant = useTenant();
  const home = committeesBase(tenant.slug);
  return (
    <DocsProvider tenant={tenant}>
      <div className="app-committees">
        {area === 'committees' && (
          <Routes>
            <Route index element={<CommitteesPage />} />
            <Route path=":committeeId" element={<CommitteeRoute />} />
            <Route path="*" element={<Navigate to={home} replace />} />
          </Routes>
        )}
        {area === 'meetings' && (
          <Routes>
            <Route path=":meetingId" element={<MeetingRoute view="page" />} />
            <Route path=":meetingId/console" element={<MeetingRoute view="console" />} />
            <Route path=":meetingId/minutes" element={<MeetingRoute view="minutes" />} />
            <Route path="*" element={<Navigate to={home} replace />} />
          </Routes>
        )}
        {area === 'polls' && (
          <Routes>
            <Route path=":pollId" element={<PollRoute />} />
            <Route path="*" element={<Navigate to={home} replace />} />
          </Routes>
        )}
      </div>
    </DocsProvider>
  );
}
