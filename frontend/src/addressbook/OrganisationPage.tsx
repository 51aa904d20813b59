import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { api, call } from '../api/client';
import { isApiError } from '../api/problem';
import { Alert, ErrorAlert } from '../components/Alert';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { Button } from '../components/Button';
import { useAction } from '../lib/useAction';
import { Contacts } from './Contacts';
import { addressBase, addressLine, etag, type Organisation } from './model';
import { OrganisationDialog } from './OrganisationDialog';

/** An organisation: its details (changed with If-Match) and its contact people. */
export function OrganisationPage({ slug, id }: { slug: string; id: string }) {
  const { t } = useTranslation();
  const location = useLocation();
  const [org, setOrg] = useState<Organisation | null>(null);
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<'created' | 'saved' | ''>((location.state as { created?: boolean } | null)?.created ? 'created' : '');
  const [stale, setStale] = useState(false);
  const load = useAction();
  const path = { tenant: slug, id };

  const reload = useCallback(async () => {
    const o = await load.run(() => call(api.GET('/api/v1/t/{tenant}/organisations/{id}', { params: { path } })));
    if (o) setOrg(o);
    return o;
  }, [slug, id]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void reload();
  }, [reload]);

  const onStale = (err: unknown) => {
    if (!isApiError(err) || err.code !== 'precondition-failed') return false;
    setEditing(false);
    setNotice('');
    setStale(true);
    void reload().then(() => setTimeout(() => document.getElementById('org-stale')?.focus(), 0));
    return true;
  };

  if (!org) {
    return (
      <>
        <PageHeading title={t('addressbook.organisation')}>{t('addressbook.organisation')}</PageHeading>
        <ErrorAlert error={load.error} />
        {!load.error && <Loading />}
        <p className="kern-body">
          <Link className="kern-link" to={addressBase(slug)}>
            {t('addressbook.back')}
          </Link>
        </p>
      </>
    );
  }

  const rows: [string, string | null][] = [
    [t('addressbook.fields.kind'), t(`addressbook.kind.${org.kind}`)],
    [t('addressbook.fields.address'), addressLine(org)],
    [t('addressbook.fields.email'), org.email],
    [t('addressbook.fields.phone'), org.phone],
    [t('addressbook.fields.website'), org.website],
    [t('addressbook.fields.notes'), org.notes],
  ];
  return (
    <>
      <nav className="app-back" aria-label={t('addressbook.breadcrumb')}>
        <Link className="kern-link" to={addressBase(slug)}>
          <span className="kern-icon kern-icon--arrow-back kern-icon--small" aria-hidden="true" /> {t('addressbook.back')}
        </Link>
      </nav>
      <PageHeading title={org.name} sub={t(`addressbook.kind.${org.kind}`)}>
        {org.name}
      </PageHeading>
      {notice && <Alert variant="success" title={notice === 'created' ? t('addressbook.create.done', { name: org.name }) : t('addressbook.edit.done')} live="status" />}
      {stale && (
        <div id="org-stale" tabIndex={-1} className="app-focus-target">
          <Alert variant="warning" title={t('addressbook.edit.staleTitle')} live="alert">
            <p className="kern-body">{t('addressbook.edit.staleText')}</p>
          </Alert>
        </div>
      )}
      <ErrorAlert error={load.error} focus={false} />
      <section className="app-section" aria-labelledby="org-details-title">
        <h2 id="org-details-title" className="kern-heading-medium">
          {t('addressbook.details')}
        </h2>
        <dl className="kern-description-list" data-testid="org-details">
          {rows.map(([k, v]) => (
            <div key={k} className="kern-description-list-item">
              <dt className="kern-description-list-item__key">{k}</dt>
              <dd className="kern-description-list-item__value app-break">{v || t('addressbook.notGiven')}</dd>
            </div>
          ))}
        </dl>
        <div className="app-actions">
          <Button variant="secondary" icon="edit" onClick={() => setEditing(true)}>
            {t('addressbook.edit.button')}
          </Button>
        </div>
      </section>
      <Contacts slug={slug} organisation={org} onChanged={() => void reload()} />
      <OrganisationDialog
        open={editing}
        organisation={org}
        onClose={() => setEditing(false)}
        onSubmit={(body) => call(api.PATCH('/api/v1/t/{tenant}/organisations/{id}', { params: { path, header: { 'If-Match': etag(org.version) } }, body }))}
        onServerError={onStale}
        onDone={(o) => {
          setOrg(o);
          setStale(false);
          setNotice('saved');
        }}
      />
    </>
  );
}
