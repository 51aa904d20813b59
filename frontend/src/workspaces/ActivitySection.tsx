import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { Loading } from '../components/Loading';
import { When } from '../consultations/parts';
import { useAction } from '../lib/useAction';
import { ACTIVITY_PAGE, activityHref, activitySentence, type ActivityEntry } from './activity';

/**
 * "Aktivität": what happened in the workspace, newest first, one sentence per entry with
 * the time relative and absolute; "Ältere anzeigen" appends the next page.
 */
export function ActivitySection({ slug, workspaceId }: { slug: string; workspaceId: string }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<ActivityEntry[] | null>(null);
  const [next, setNext] = useState<string | undefined>(undefined);
  const load = useAction();

  const fetchPage = async (before?: string) => {
    const r = await load.run(() =>
      call(api.GET('/api/v1/t/{tenant}/workspaces/{id}/activity', { params: { path: { tenant: slug, id: workspaceId }, query: { limit: ACTIVITY_PAGE, ...(before ? { before } : {}) } } })),
    );
    if (!r) return;
    setItems((prev) => (before && prev ? [...prev, ...r.items] : r.items));
    setNext(r.next_before);
    if (before) setTimeout(() => document.getElementById(`act-${r.items[0]?.id}`)?.focus(), 0);
  };

  useEffect(() => {
    void fetchPage();
  }, [slug, workspaceId]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <section className="app-section" aria-labelledby="ws-activity">
      <h2 id="ws-activity" className="kern-heading-medium">
        {t('activity.title')}
      </h2>
      <ErrorAlert error={load.error} focus={false} />
      {!items && !load.error && <Loading />}
      {items && items.length === 0 && <p className="kern-body">{t('activity.none')}</p>}
      {items && items.length > 0 && (
        <ul className="app-activity" data-testid="activity">
          {items.map((e) => {
            const text = activitySentence(e, t);
            const href = activityHref(slug, e);
            return (
              <li key={e.id} id={`act-${e.id}`} tabIndex={-1} className="kern-body">
                {href ? (
                  <Link className="kern-link" to={href}>
                    {text}
                  </Link>
                ) : (
                  <span>{text}</span>
                )}
                <span className="kern-body kern-body--small app-muted-line">
                  <When iso={e.created_at} />
                </span>
              </li>
            );
          })}
        </ul>
      )}
      {next && (
        <div className="app-actions">
          <Button variant="secondary" icon="arrow-down" busy={load.busy} onClick={() => void fetchPage(next)}>
            {t('activity.older')}
          </Button>
        </div>
      )}
    </section>
  );
}
