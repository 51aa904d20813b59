import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { Button } from '../components/Button';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { useAction } from '../lib/useAction';
import { CommitteeDialog } from './CommitteeDialog';
import { committeeHref, type Committee } from './model';
import { useCommitteesCtx } from './parts';

/** The committees the person sits on (administrators: all), and for administrators a new one. */
export function CommitteesPage() {
  const { t } = useTranslation();
  const { slug, isAdmin } = useCommitteesCtx();
  const [list, setList] = useState<Committee[] | null>(null);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState('');
  const load = useAction();

  useEffect(() => {
    void load.run(async () => {
      const res = await call(api.GET('/api/v1/t/{tenant}/committees', { params: { path: { tenant: slug } } }));
      setList(res.committees);
    });
  }, [slug]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <>
      <PageHeading title={t('committees.title')} sub={t('committees.lead')}>
        {t('committees.title')}
      </PageHeading>
      {notice && <Alert variant="success" title={notice} live="status" />}
      {isAdmin && (
        <div className="app-actions app-toolbar">
          <Button icon="add" onClick={() => setCreating(true)}>
            {t('committees.create.button')}
          </Button>
        </div>
      )}
      <section className="app-section" aria-labelledby="committees-list">
        <h2 id="committees-list" className="kern-heading-medium">
          {t('committees.listTitle')}
        </h2>
        <ErrorAlert error={load.error} focus={false} />
        {!list && !load.error && <Loading inline />}
        {list && list.length === 0 && (
          <Alert variant="info" title={t('committees.none')}>
            <p className="kern-body">{isAdmin ? t('committees.noneAdmin') : t('committees.noneMember')}</p>
          </Alert>
        )}
        {list && list.length > 0 && (
          <ul className="app-cards">
            {list.map((c) => (
              <li key={c.id} className="kern-card kern-card--interactive app-card" data-committee={c.name}>
                <div className="kern-card__container">
                  <div className="kern-card__header">
                    <h3 className="kern-title">
                      <Link className="kern-link kern-link--stretched" to={committeeHref(slug, c.id)}>
                        {c.name}
                      </Link>
                    </h3>
                  </div>
                  <div className="kern-card__body">
                    {c.description && <p className="kern-body app-clamp">{c.description}</p>}
                    <p className="app-status-line">
                      {c.my_role ? <Badge variant="info">{t(`committees.role.${c.my_role}`)}</Badge> : <Badge variant="info">{t('committees.adminNoSeat')}</Badge>}
                      {c.public && <Badge variant="success">{t('committees.publicBadge')}</Badge>}
                    </p>
                  </div>
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <CommitteeDialog
        open={creating}
        onClose={() => setCreating(false)}
        onSubmit={async (body) => {
          const c = await call(api.POST('/api/v1/t/{tenant}/committees', { params: { path: { tenant: slug } }, body }));
          setList((l) => [...(l ?? []), c].sort((a, b) => a.name.localeCompare(b.name)));
          setNotice(t('committees.create.done', { name: c.name }));
        }}
      />
    </>
  );
}
