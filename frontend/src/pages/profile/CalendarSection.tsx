import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, type Schemas } from '../../api/client';
import { Alert, ErrorAlert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyButton } from '../../components/CopyButton';
import { TextField } from '../../components/Field';
import { Loading } from '../../components/Loading';
import { formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/useAction';

type Feed = Schemas['CalendarFeedView'];
type Created = Schemas['CalendarFeedCreatedOutBody'];

/**
 * The personal calendar feed (iCalendar) of one's meetings: its secret URL is shown once
 * when created or renewed (renewing stops the old one); it can be deleted.
 */
export function CalendarSection() {
  const { t, i18n } = useTranslation();
  const [feed, setFeed] = useState<Feed | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const [confirm, setConfirm] = useState<'rotate' | 'delete' | null>(null);
  const [message, setMessage] = useState('');
  const load = useAction();
  const create = useAction();

  const reload = useCallback(async () => {
    const res = await load.run(() => call(api.GET('/api/v1/me/calendar-feed')));
    if (res) setFeed(res);
  }, [load.run]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void reload();
  }, [reload]);

  const make = async () => {
    setMessage('');
    const res = await create.run(() => call(api.POST('/api/v1/me/calendar-feed')));
    if (res) {
      setCreated(res);
      await reload();
      setTimeout(() => document.getElementById('calendar-created')?.focus(), 0);
    }
  };

  return (
    <section className="app-section" aria-labelledby="profile-calendar">
      <h2 id="profile-calendar" className="kern-heading-medium">
        {t('profile.calendar.title')}
      </h2>
      <p className="kern-body">{t('profile.calendar.lead')}</p>
      {created && (
        <div id="calendar-created" tabIndex={-1} className="app-focus-target">
          <Alert variant="success" title={t('profile.calendar.created')} live="status">
            <p className="kern-body">{t('profile.calendar.onceText')}</p>
            <TextField id="calendar-url" label={t('profile.calendar.url')} value={created.url} readOnly className="app-field--mono" onFocus={(e) => e.currentTarget.select()} />
            <CopyButton text={created.url} label={t('profile.calendar.copy')} />
            <p className="kern-body">
              <a className="kern-link" href={created.webcal_url}>
                {t('profile.calendar.webcal')}
              </a>
            </p>
          </Alert>
        </div>
      )}
      {message && <Alert variant="success" title={message} live="status" />}
      <ErrorAlert error={create.error} />
      <ErrorAlert error={load.error} focus={false} />
      {!feed && !load.error && <Loading inline />}
      {feed && (
        <>
          <p className="kern-body" data-testid="calendar-status">
            {feed.exists
              ? t('profile.calendar.exists', { at: formatDateTime(feed.created_at, i18n.language) }) +
                (feed.last_used_at ? ` ${t('profile.calendar.lastUsed', { at: formatDateTime(feed.last_used_at, i18n.language) })}` : ` ${t('profile.calendar.neverUsed')}`)
              : t('profile.calendar.none')}
          </p>
          <div className="app-actions">
            {feed.exists ? (
              <>
                <Button variant="secondary" icon="autorenew" onClick={() => setConfirm('rotate')}>
                  {t('profile.calendar.rotate')}
                </Button>
                <Button variant="secondary" icon="delete" onClick={() => setConfirm('delete')}>
                  {t('profile.calendar.delete')}
                </Button>
              </>
            ) : (
              <Button icon="calendar-today" onClick={() => void make()} busy={create.busy}>
                {t('profile.calendar.create')}
              </Button>
            )}
          </div>
        </>
      )}
      <ConfirmDialog
        open={confirm === 'rotate'}
        title={t('profile.calendar.rotateTitle')}
        confirmLabel={t('profile.calendar.rotate')}
        onClose={() => setConfirm(null)}
        onConfirm={async () => {
          const res = await call(api.POST('/api/v1/me/calendar-feed'));
          setCreated(res);
          await reload();
          setTimeout(() => document.getElementById('calendar-created')?.focus(), 80);
        }}
      >
        <p className="kern-body">{t('profile.calendar.rotateText')}</p>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === 'delete'}
        title={t('profile.calendar.deleteTitle')}
        confirmLabel={t('profile.calendar.delete')}
        onClose={() => setConfirm(null)}
        onConfirm={async () => {
          await call(api.DELETE('/api/v1/me/calendar-feed'));
          setCreated(null);
          setMessage(t('profile.calendar.deleted'));
          await reload();
        }}
      >
        <p className="kern-body">{t('profile.calendar.deleteText')}</p>
      </ConfirmDialog>
    </section>
  );
}
