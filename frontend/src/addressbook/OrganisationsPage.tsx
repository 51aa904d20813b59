import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, call, query } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { SelectField, TextField } from '../components/Field';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { Pager } from '../components/Pager';
import { Cell, Row, RowHeader, Table } from '../components/Table';
import { useAction } from '../lib/useAction';
import { useCursorPages } from '../lib/useCursorPages';
import { ExportButtons } from './ExportButtons';
import { addressLine, importHref, KINDS, organisationHref, type Kind, type Organisation } from './model';
import { OrganisationDialog } from './OrganisationDialog';

const PAGE_SIZE = 25;

interface Filters {
  q: string;
  kind: '' | Kind;
}

/** The organisations: search, kind filter, pages of 25; a new one; import and export. */
export function OrganisationsPage({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<Filters>({ q: '', kind: '' });
  const [filters, setFilters] = useState<Filters>(draft);
  const [list, setList] = useState<Organisation[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | undefined>();
  const [creating, setCreating] = useState(false);
  const pages = useCursorPages<string>();
  const load = useAction();

  const reload = useCallback(async () => {
    const res = await load.run(() =>
      call(api.GET('/api/v1/t/{tenant}/organisations', { params: { path: { tenant: slug }, query: query({ ...filters, cursor: pages.cursor, limit: PAGE_SIZE }) } })),
    );
    if (res) {
      setList(res.organisations);
      setNextCursor(res.next_cursor ?? undefined);
    }
  }, [slug, filters, pages.cursor]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void reload();
  }, [reload]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    pages.reset();
    setFilters({ ...draft, q: draft.q.trim() });
  };

  const filtered = filters.q !== '' || filters.kind !== '';
  return (
    <>
      <PageHeading title={t('addressbook.title')} sub={t('addressbook.lead')}>
        {t('addressbook.title')}
      </PageHeading>
      <ErrorAlert error={load.error} />
      {!load.error || list ? (
        <>
          <div className="app-actions app-toolbar">
            <Button icon="add" onClick={() => setCreating(true)}>
              {t('addressbook.create.button')}
            </Button>
            <Link className="kern-btn kern-btn--secondary" to={importHref(slug)}>
              <span className="kern-icon kern-icon--drive-folder-upload" aria-hidden="true" />
              <span className="kern-label">{t('addressbook.import.link')}</span>
            </Link>
          </div>
          <ExportButtons slug={slug} />
          <form className="app-filters" onSubmit={apply} role="search" aria-label={t('addressbook.filterLabel')}>
            <TextField id="orgs-q" type="search" label={t('addressbook.search')} hint={t('addressbook.searchHint')} value={draft.q} maxLength={200} onChange={(e) => setDraft({ ...draft, q: e.target.value })} />
            <SelectField id="orgs-kind" label={t('addressbook.fields.kind')} value={draft.kind} onChange={(e) => setDraft({ ...draft, kind: e.target.value as Filters['kind'] })}>
              <option value="">{t('common.all')}</option>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`addressbook.kind.${k}`)}
                </option>
              ))}
            </SelectField>
            <div className="app-actions">
              <Button type="submit" variant="secondary" icon="search">
                {t('common.filter')}
              </Button>
            </div>
          </form>
        </>
      ) : null}
      {!list && !load.error && <Loading />}
      {list && (
        <section className="app-section" aria-labelledby="org-list-title">
          <h2 id="org-list-title" className="kern-heading-medium">
            {t('addressbook.listTitle')}
          </h2>
          <Table
            label={t('addressbook.caption', { page: pages.page })}
            caption={t('addressbook.caption', { page: pages.page })}
            empty={<Alert variant="info" title={filtered ? t('addressbook.noneFound') : t('addressbook.none')} live="status" />}
            columns={[t('addressbook.fields.name'), t('addressbook.fields.kind'), t('addressbook.fields.address'), t('addressbook.fields.contacts')]}
          >
            {list.map((o) => (
              <Row key={o.id} data-organisation={o.name}>
                <RowHeader>
                  <span className="app-org-cell">
                    <Link className="kern-link" to={organisationHref(slug, o.id)}>
                      {o.name}
                    </Link>
                    {o.email && <span className="kern-body--small app-break">{o.email}</span>}
                  </span>
                </RowHeader>
                <Cell>{t(`addressbook.kind.${o.kind}`)}</Cell>
                <Cell>{addressLine(o)}</Cell>
                <Cell>{o.contacts}</Cell>
              </Row>
            ))}
          </Table>
          <Pager page={pages.page} hasNext={nextCursor !== undefined} onPrev={pages.prev} onNext={() => pages.next(nextCursor)} label={t('addressbook.pager')} />
        </section>
      )}
      <OrganisationDialog
        open={creating}
        onClose={() => setCreating(false)}
        onSubmit={(body) => call(api.POST('/api/v1/t/{tenant}/organisations', { params: { path: { tenant: slug } }, body }))}
        onDone={(o) => void navigate(organisationHref(slug, o.id), { state: { created: true } })}
      />
    </>
  );
}
