import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useMatch } from 'react-router';
import { api, call } from '../api/client';
import { useEventStream } from '../committees/live';
import './notifications.css';
import { ANNOUNCE_DELAY_MS, badgeText, parseBell, setUnread, shouldAnnounce, useUnread } from './bell';

/** A bell (decorative: the link's text names it). */
function BellIcon() {
  return (
    <svg className="app-bell__icon" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Zm-2 1H7v-6a5 5 0 0 1 10 0v6Z"
      />
    </svg>
  );
}

/**
 * The header's bell: a link to the notifications page whose name carries the unread count
 * ("Benachrichtigungen, 3 ungelesen"). The count follows the live stream; a rise is
 * announced once the count has rested a moment (a polite live region), never each tick.
 */
export function Bell({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const unread = useUnread(slug);
  const here = useMatch('/t/:slug/notifications') !== null;
  const [announcement, setAnnouncement] = useState('');
  const announced = useRef<number | undefined>(undefined);

  // The count at once (the stream's first snapshot also brings it; this covers a server
  // without live streams).
  useEffect(() => {
    let gone = false;
    call(api.GET('/api/v1/t/{tenant}/notifications', { params: { path: { tenant: slug }, query: { limit: 1 } } }))
      .then((res) => {
        if (!gone) setUnread(slug, res.unread);
      })
      .catch(() => undefined);
    return () => {
      gone = true;
    };
  }, [slug]);

  useEventStream(`/api/v1/t/${encodeURIComponent(slug)}/notifications/events`, ['snapshot'], (_type, data) => {
    const n = parseBell(data);
    if (n !== null) setUnread(slug, n);
  });

  // Announce a rise after the count rested; a fall (own reading) only moves the mark.
  useEffect(() => {
    if (unread === undefined) return;
    if (announced.current === undefined) {
      announced.current = unread;
      return;
    }
    const timer = setTimeout(() => {
      if (shouldAnnounce(announced.current, unread)) setAnnouncement(t('notifications.announce', { count: unread }));
      announced.current = unread;
    }, ANNOUNCE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [unread, t]);

  const badge = badgeText(unread);
  return (
    <div className="app-bell">
      <Link
        to={`/t/${slug}/notifications`}
        className="kern-btn kern-btn--tertiary app-bell__link"
        aria-current={here ? 'page' : undefined}
        data-testid="bell"
        data-unread={unread ?? ''}
      >
        <BellIcon />
        <span className="app-sr-only">{unread ? t('notifications.bellUnread', { count: unread }) : t('notifications.bell')}</span>
        <span className={`app-bell__badge${badge ? '' : ' app-bell__badge--none'}`} aria-hidden="true">
          {badge}
        </span>
      </Link>
      <span className="app-sr-only" role="status" data-testid="bell-announcement">
        {announcement}
      </span>
    </div>
  );
}
