import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call, type Schemas } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { formatBytes } from '../documents/model';
import { useAction } from '../lib/useAction';
import type { TenantInfo } from './AdminConsole';
import { HIGH_SHARE, quotaState } from './storage';

type StorageView = Schemas['StorageView'];

/** The tenant's storage: use against the quota (a meter with its figures in words), what takes the space, and what happens at the limit. */
export function StoragePage({ tenant }: { tenant: TenantInfo }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [st, setSt] = useState<StorageView | null>(null);
  const load = useAction();

  useEffect(() => {
    void load.run(async () => setSt(await call(api.GET('/api/v1/t/{tenant}/storage', { params: { path: { tenant: tenant.slug } } }))));
  }, [tenant.slug]); // eslint-disable-line react-hooks/exhaustive-deps

  const bytes = (n: number) => formatBytes(n, lng);
  const num = (n: number) => new Intl.NumberFormat(lng === 'en' ? 'en-GB' : 'de-DE').format(n);

  return (
    <>
      <PageHeading title={t('admin.storage.title')}>{t('admin.storage.title')}</PageHeading>
      <p className="kern-body">{t('admin.storage.lead')}</p>
      <ErrorAlert error={load.error} />
      {!st && !load.error && <Loading />}
      {st && <Figures st={st} bytes={bytes} num={num} slug={tenant.slug} />}
    </>
  );
}

function Figures({ st, bytes, num, slug }: { st: StorageView; bytes: (n: number) => string; num: (n: number) => string; slug: string }) {
  const { t } = useTranslation();
  const q = quotaState(st);
  const quota = st.quota_bytes ?? null;
  return (
    <>
      <section className="app-section" aria-labelledby="storage-quota-title">
        <h2 id="storage-quota-title" className="kern-heading-medium">
          {t('admin.storage.quotaTitle')}
        </h2>
        {quota === null ? (
          <p className="kern-body" data-testid="storage-summary">
            {t('admin.storage.unlimited', { used: bytes(q.taken) })}
          </p>
        ) : (
          <div className="app-meter">
            <label className="kern-label" htmlFor="storage-meter">
              {t('admin.storage.meterLabel')}
            </label>
            <meter
              id="storage-meter"
              className="app-meter__bar"
              min={0}
              max={quota}
              value={Math.min(q.taken, quota)}
              low={Math.round(quota * HIGH_SHARE)}
              high={Math.round(quota * 0.95)}
              optimum={0}
              aria-describedby="storage-summary"
            >
              {t('admin.storage.percent', { percent: q.percent })}
            </meter>
            <p className="kern-body" id="storage-summary" data-testid="storage-summary">
              {t('admin.storage.summary', { used: bytes(q.taken), quota: bytes(quota), percent: q.percent, free: bytes(q.free) })}
            </p>
          </div>
        )}
        {q.level === 'full' && (
          <Alert variant="danger" title={t('admin.storage.fullTitle')}>
            <p className="kern-body">{t('admin.storage.fullText')}</p>
          </Alert>
        )}
        {q.level === 'high' && (
          <Alert variant="warning" title={t('admin.storage.highTitle', { percent: q.percent })}>
            <p className="kern-body">{t('admin.storage.highText')}</p>
          </Alert>
        )}
      </section>

      <section className="app-section" aria-labelledby="storage-what-title">
        <h2 id="storage-what-title" className="kern-heading-medium">
          {t('admin.storage.whatTitle')}
        </h2>
        <dl className="app-facts">
          <div>
            <dt>{t('admin.storage.documents')}</dt>
            <dd>{num(st.documents)}</dd>
          </div>
          <div>
            <dt>{t('admin.storage.revisions')}</dt>
            <dd>{num(st.revisions)}</dd>
          </div>
          <div>
            <dt>{t('admin.storage.used')}</dt>
            <dd>{bytes(st.used_bytes)}</dd>
          </div>
          <div>
            <dt>{t('admin.storage.reserved')}</dt>
            <dd>{bytes(st.reserved_bytes)}</dd>
          </div>
          <div>
            <dt>{t('admin.storage.trash')}</dt>
            <dd>{t('admin.storage.trashValue', { count: st.trash_documents, size: bytes(st.trash_bytes) })}</dd>
          </div>
          <div>
            <dt>{t('admin.storage.purgeable')}</dt>
            <dd>{bytes(st.trash_purgeable_bytes)}</dd>
          </div>
        </dl>
        <p className="kern-body">{t('admin.storage.revisionsHint')}</p>
        {st.trash_purgeable_bytes > 0 && (
          <p className="kern-body">
            {t('admin.storage.purgeHint', { size: bytes(st.trash_purgeable_bytes) })}{' '}
            <Link className="kern-link" to={`/t/${slug}/documents/trash`}>
              {t('admin.storage.toTrash')}
            </Link>
          </p>
        )}
      </section>

      <section className="app-section" aria-labelledby="storage-limit-title">
        <h2 id="storage-limit-title" className="kern-heading-medium">
          {t('admin.storage.limitTitle')}
        </h2>
        <ul className="kern-list">
          {(quota === null ? ['unlimitedText', 'operator'] : ['limitUploads', 'limitRead', 'limitFree', 'operator']).map((k) => (
            <li key={k} className="kern-body">
              {t(`admin.storage.${k}`)}
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}
