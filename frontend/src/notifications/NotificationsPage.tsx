import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, call, type Schemas } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { setUnread, useUnread } from './bell';
import { notificationHref } from './links';
import './notifications.css';

type Notification = Schemas['NotificationView'];

export const PAGE_SIZE = 20;

/**
 * The person's notifications, newest first: unread ones carry the word "Ungelesen" (not
 * only a colour), each links to its object (following it marks it read), each can be
 * marked read, all at once too; "Weitere laden" appends the next page.
 */
export default function NotificationsPage() {
  const { t, i18n } = useTranslation();
  const slug = useParams().slug ?? '';
  const [items, setItems] = useState<Notification[] | null>(null);
  const [next, setNext] = useState<string | undefined>();
  const [message, setMessage] = useState('');
  const unread = useUnread(slug);
  const load = useAction();
  const more = useAction();
  const mark = useAction();
  const firstNew = useRef<string | null>(null);
  // The unread count the list was last read or changed with: a higher live count means
  // new notifications arrived, which the page offers to show (it never jumps by itself).
  const [known, setKnown] = useState<number | undefined>();

  const fetchPage = useCallback(
    (cursor?: string) =>
      call(api.GET('/api/v1/t/{tenant}/notifications', { params: { path: { tenant: slug }, query: { limit: PAGE_SIZE, cursor } } })),
    [slug],
  );

  const reload = useCallback(async (focus = false) => {
    const res = await load.run(fetchPage);
    if (!res) return;
    if (focus) firstNew.current = res.items?.[0]?.id ?? null;
    setItems(res.items ?? []);
    setNext(res.next_cursor);
    setKnown(res.unread);
    setUnread(slug, res.unread);
  }, [fetchPage, slug]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void reload();
  }, [reload]);

  // Own changes lower the count; the list stays current with them.
  useEffect(() => {
    if (unread !== undefined && known !== undefined && unread < known) setKnown(unread);
  }, [unread, known]);
  const arrived = unread !== undefined && known !== undefined && unread > known;

  // After "Weitere laden" the first new notification takes focus.
  useEffect(() => {
    if (!firstNew.current) return;
    document.getElementById(`notification-${firstNew.current}`)?.focus();
    firstNew.current = null;
  }, [items]);

  const loadMore = async () => {
    if (!next) return;
    const res = await more.run(() => fetchPage(next));
    if (!res) return;
    const fresh = (res.items ?? []).filter((n) => !items?.some((o) => o.id === n.id));
    firstNew.current = fresh[0]?.id ?? null;
    setItems((old) => [...(old ?? []), ...fresh]);
    setNext(res.next_cursor);
    setUnread(slug, res.unread);
  };

  const markRead = async (n: Notification, announce = true) => {
    setMessage('');
    const res = await mark.run(() =>
      call(api.POST('/api/v1/t/{tenant}/notifications/{id}/read', { params: { path: { tenant: slug, id: n.id } } })),
    );
    if (res === undefined) return;
    const at = new Date().toISOString();
    setItems((old) => old?.map((o) => (o.id === n.id && !o.read_at ? { ...o, read_at: at } : o)) ?? null);
    setUnread(slug, res.unread);
    if (announce) {
      setMessage(t('notifications.markedOne'));
      // The button is gone: focus goes to the notification's link or text.
      setTimeout(() => document.getElementById(`notification-${n.id}`)?.focus(), 0);
    }
  };

  const markAll = async () => {
    setMessage('');
    const res = await mark.run(() => call(api.POST('/api/v1/t/{tenant}/notifications/read-all', { params: { path: { tenant: slug } } })));
    if (res === undefined) return;
    const at = new Date().toISOString();
    setItems((old) => old?.map((o) => (o.read_at ? o : { ...o, read_at: at })) ?? null);
    setUnread(slug, res.unread);
    setMessage(t('notifications.markedAll'));
  };

  const shownUnread = unread ?? items?.filter((n) => !n.read_at).length ?? 0;
  return (
    <>
      <PageHeading title={t('notifications.title')} sub={items ? t('notifications.unreadCount', { count: shownUnread }) : undefined}>
        {t('notifications.title')}
      </PageHeading>
      <p className="kern-body">
        <Link className="kern-link" to="/profile#profile-notifications">
          {t('notifications.preferencesLink')}
        </Link>
      </p>
      {message && <Alert variant="success" title={message} live="status" />}
      {arrived && items && (
        <div className="app-actions" data-testid="notifications-arrived">
          <Button variant="secondary" icon="autorenew" onClick={() => void reload(true)} busy={load.busy}>
            {t('notifications.showNew')}
          </Button>
        </div>
      )}
      <ErrorAlert error={load.error} />
      <ErrorAlert error={mark.error} />
      {!items && !load.error && <Loading />}
      {items && (
        <>
          {shownUnread > 0 && (
            <div className="app-actions">
              <Button variant="secondary" icon="check" onClick={() => void markAll()} busy={mark.busy}>
                {t('notifications.markAll')}
              </Button>
            </div>
          )}
          {items.length === 0 ? (
            <p className="kern-body" data-testid="notifications-empty">
              {t('notifications.empty')}
            </p>
          ) : (
            <ul className="app-notifications" aria-label={t('notifications.listLabel')}>
              {items.map((n) => (
                <NotificationItem key={n.id} n={n} slug={slug} lng={i18n.language} onRead={() => void markRead(n)} onFollow={() => void markRead(n, false)} />
              ))}
            </ul>
          )}
          <ErrorAlert error={more.error} />
          {next && (
            <div className="app-actions">
              <Button variant="secondary" onClick={() => void loadMore()} busy={more.busy}>
                {t('notifications.more')}
              </Button>
            </div>
          )}
        </>
      )}
    </>
  );
}

function NotificationItem({ n, slug, lng, onRead, onFollow }: { n: Notification; slug: string; lng: string; onRead: () => void; onFollow: () => void }) {
  const { t } = useTranslation();
  const href = notificationHref(slug, n.link);
  const isUnread = !n.read_at;
  const id = `notification-${n.id}`;
  return (
    <li className={`app-notification${isUnread ? ' app-notification--unread' : ''}`} data-notification={n.title} data-read={isUnread ? 'false' : 'true'}>
      <p className="app-notification__title kern-body">
        {isUnread && <span className="app-notification__marker">{t('notifications.unread')}</span>}
        {href ? (
          <Link id={id} className="kern-link" to={href} onClick={isUnread ? onFollow : undefined}>
            {n.title}
          </Link>
        ) : (
          <span id={id} tabIndex={-1}>
            {n.title}
          </span>
        )}
      </p>
      {n.text && <p className="kern-body kern-body--small app-notification__text">{n.text}</p>}
      <p className="kern-body kern-body--small app-notification__meta">
        <time dateTime={n.created_at}>{formatDateTime(n.created_at, lng)}</time>
        {!isUnread && <span> · {t('notifications.read')}</span>}
      </p>
      {isUnread && (
        <Button variant="tertiary" small icon="check" onClick={onRead} className="app-notification__action">
          {t('notifications.markOne')}
          <span className="app-sr-only">: {n.title}</span>
        </Button>
      )}
    </li>
  );
}
