import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, query } from '../api/client';
import { isApiError } from '../api/problem';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Loading } from '../components/Loading';
import { Pager } from '../components/Pager';
import { ActionCell, Cell, Row, RowHeader, Table } from '../components/Table';
import { useAction } from '../lib/useAction';
import { useCursorPages } from '../lib/useCursorPages';
import { ContactDialog } from './ContactDialog';
import { etag, type Contact, type Organisation } from './model';

const PAGE_SIZE = 50;

/** An organisation's contact people: a table with add, change (If-Match) and delete (asked first). */
export function Contacts({ slug, organisation, onChanged }: { slug: string; organisation: Organisation; onChanged: () => void }) {
  const { t } = useTranslation();
  const [list, setList] = useState<Contact[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | undefined>();
  const [dialog, setDialog] = useState<{ contact?: Contact } | null>(null);
  const [deleting, setDeleting] = useState<Contact | null>(null);
  const [notice, setNotice] = useState('');
  const [stale, setStale] = useState(false);
  const pages = useCursorPages<string>();
  const load = useAction();

  const reload = useCallback(async () => {
    const res = await load.run(() =>
      call(api.GET('/api/v1/t/{tenant}/contacts', { params: { path: { tenant: slug }, query: query({ organisation_id: organisation.id, cursor: pages.cursor, limit: PAGE_SIZE }) } })),
    );
    if (res) {
      setList(res.contacts);
      setNextCursor(res.next_cursor ?? undefined);
    }
  }, [slug, organisation.id, pages.cursor]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void reload();
  }, [reload]);

  const changed = (text: string) => {
    setNotice(text);
    setStale(false);
    void reload();
    onChanged();
  };
  const onStale = (err: unknown) => {
    if (!isApiError(err) || err.code !== 'precondition-failed') return false;
    setDialog(null);
    setStale(true);
    setNotice('');
    void reload().then(() => setTimeout(() => document.getElementById('contact-stale')?.focus(), 0));
    return true;
  };

  return (
    <section className="app-section" aria-labelledby="contacts-title">
      <h2 id="contacts-title" className="kern-heading-medium">
        {t('addressbook.contact.title')}
      </h2>
      {notice && <Alert variant="success" title={notice} live="status" />}
      {stale && (
        <div id="contact-stale" tabIndex={-1} className="app-focus-target">
          <Alert variant="warning" title={t('addressbook.contact.staleTitle')} live="alert">
            <p className="kern-body">{t('addressbook.edit.staleText')}</p>
          </Alert>
        </div>
      )}
      <div className="app-actions app-toolbar">
        <Button icon="add" onClick={() => setDialog({})}>
          {t('addressbook.contact.add')}
        </Button>
      </div>
      <ErrorAlert error={load.error} focus={false} />
      {!list && !load.error && <Loading inline />}
      {list && (
        <Table
          label={t('addressbook.contact.tableLabel')}
          empty={<Alert variant="info" title={t('addressbook.contact.none')} />}
          columns={[t('addressbook.contact.name'), t('addressbook.contact.fields.function'), t('addressbook.contact.fields.email'), t('addressbook.contact.fields.phone')]}
          actions
        >
          {list.map((c) => (
            <Row key={c.id} data-contact={c.display_name}>
              <RowHeader>{[c.salutation, c.display_name].filter(Boolean).join(' ')}</RowHeader>
              <Cell>{c.function}</Cell>
              <Cell className="app-break">{c.email && <a className="kern-link" href={`mailto:${c.email}`}>{c.email}</a>}</Cell>
              <Cell>{c.phone}</Cell>
              <ActionCell>
                <Button variant="secondary" small icon="edit" onClick={() => setDialog({ contact: c })}>
                  {t('addressbook.contact.edit')}
                  <span className="app-sr-only">: {c.display_name}</span>
                </Button>
                <Button variant="tertiary" small icon="delete" onClick={() => setDeleting(c)}>
                  {t('addressbook.contact.delete')}
                  <span className="app-sr-only">: {c.display_name}</span>
                </Button>
              </ActionCell>
            </Row>
          ))}
        </Table>
      )}
      <Pager page={pages.page} hasNext={nextCursor !== undefined} onPrev={pages.prev} onNext={() => pages.next(nextCursor)} label={t('addressbook.contact.pager')} />
      <ContactDialog
        open={dialog !== null}
        contact={dialog?.contact}
        organisationName={organisation.name}
        onClose={() => setDialog(null)}
        onServerError={onStale}
        onSubmit={(body) => {
          const c = dialog?.contact;
          if (c) return call(api.PATCH('/api/v1/t/{tenant}/contacts/{id}', { params: { path: { tenant: slug, id: c.id }, header: { 'If-Match': etag(c.version) } }, body }));
          return call(api.POST('/api/v1/t/{tenant}/contacts', { params: { path: { tenant: slug } }, body: { ...body, organisation_id: organisation.id } }));
        }}
        onDone={(c) => changed(dialog?.contact ? t('addressbook.contact.saved', { name: c.display_name }) : t('addressbook.contact.added', { name: c.display_name }))}
      />
      <ConfirmDialog
        open={deleting !== null}
        title={t('addressbook.contact.deleteTitle')}
        confirmLabel={t('addressbook.contact.deleteConfirm')}
        danger
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          const c = deleting!;
          await call(api.DELETE('/api/v1/t/{tenant}/contacts/{id}', { params: { path: { tenant: slug, id: c.id }, header: { 'If-Match': etag(c.version) } } }));
          changed(t('addressbook.contact.deleted', { name: c.display_name }));
        }}
      >
        <p className="kern-body">{t('addressbook.contact.deleteText', { name: deleting?.display_name ?? '', organisation: organisation.name })}</p>
      </ConfirmDialog>
    </section>
  );
}
