import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { call } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Checkbox } from '../components/Field';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { ActionCell, Cell, Row, RowHeader, Table } from '../components/Table';
import { useDocs } from '../documents/context';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { formatDay } from '../workspaces/model';
import { PermitButton, Reasons } from '../workspaces/parts';
import { guestApi, type GuestView } from './api';
import { guestHref, guestName, guestPermits, sortGuests, STALE_DAYS } from './model';
import { GuestState, guestsTitleKey, OffboardDialog, renewedText, renewGuest } from './parts';

/**
 * The guests a person looks after: for staff the guests they sponsor ("Meine Gäste"),
 * for administrators every guest of the tenant ("Zugangsprüfung"). A table (in a
 * labelled region that scrolls sideways on a phone) with a filter for guests who have
 * not signed in for 90 days, and per row a one-click renewal by 180 days and "Zugang
 * beenden" behind a confirmation.
 */
export function GuestsPage() {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { slug, isAdmin } = useDocs();
  const [params, setParams] = useSearchParams();
  const stale = params.get('stale') === 'true';
  const [list, setList] = useState<GuestView[] | null>(null);
  const [truncated, setTruncated] = useState(false);
  const [notice, setNotice] = useState('');
  const [offboard, setOffboard] = useState<GuestView | null>(null);
  const load = useAction();
  const act = useAction();

  useEffect(() => {
    setList(null);
    void load.run(async () => {
      const res = await call(
        guestApi.GET('/api/v1/t/{tenant}/guests', { params: { path: { tenant: slug }, query: { scope: isAdmin ? 'all' : 'mine', ...(stale ? { stale: true } : {}) } } }),
      );
      setList(sortGuests(res.guests, lng));
      setTruncated(res.truncated);
    });
  }, [slug, isAdmin, stale]); // eslint-disable-line react-hooks/exhaustive-deps

  const replace = (g: GuestView) => setList((l) => (l ?? []).map((x) => (x.membership_id === g.membership_id ? g : x)));

  const renew = async (g: GuestView) => {
    setNotice('');
    const res = await act.run(() => renewGuest(slug, g));
    if (!res) return;
    replace(res);
    setNotice(renewedText(t, res, lng));
  };

  const title = t(guestsTitleKey(isAdmin));
  return (
    <>
      <PageHeading title={title} sub={t(isAdmin ? 'guests.leadAdmin' : 'guests.leadMine')}>
        {title}
      </PageHeading>
      {notice && <Alert variant="success" title={notice} live="status" />}
      <ErrorAlert error={act.error} />
      <form className="app-filters" role="search" aria-label={t('guests.filterLabel')} onSubmit={(e) => e.preventDefault()}>
        <Checkbox
          id="guests-stale"
          label={t('guests.staleFilter', { days: STALE_DAYS })}
          hint={t('guests.staleHint')}
          checked={stale}
          onChange={(e) => {
            setNotice('');
            setParams(e.target.checked ? { stale: 'true' } : {});
          }}
        />
      </form>
      {/* Not a region of its own: the table's scrollable region carries the heading's name. */}
      <div className="app-section">
        <h2 id="guests-list" className="kern-heading-medium">
          {stale ? t('guests.listStale', { days: STALE_DAYS }) : t('guests.list')}
        </h2>
        <ErrorAlert error={load.error} focus={false} />
        {!list && !load.error && <Loading inline />}
        {list && (
          <>
            <p className="kern-body app-muted-line" role="status">
              {t('guests.count', { count: list.length })}
            </p>
            {truncated && <Alert variant="info" title={t('guests.truncated')} />}
            <Table
              labelledBy="guests-list"
              className="app-guests-table"
              empty={<Alert variant="info" title={stale ? t('guests.noneStale') : t(isAdmin ? 'guests.noneAdmin' : 'guests.noneMine')} />}
              columns={[
                t('guests.fields.name'),
                t('guests.fields.email'),
                t('guests.fields.organisation'),
                t('guests.fields.sponsor'),
                t('guests.fields.lastSignIn'),
                t('guests.fields.until'),
                t('guests.fields.workspaces'),
                t('guests.fields.state'),
              ]}
              actions
            >
              {list.map((g) => {
                const may = guestPermits(g);
                const name = guestName(g);
                const place = `guest-${g.membership_id}`;
                return (
                  <Row key={g.membership_id} data-guest={g.email}>
                    <RowHeader>
                      <Link className="kern-link" to={guestHref(slug, g.membership_id)}>
                        {name}
                      </Link>
                    </RowHeader>
                    <Cell className="app-break">{g.email}</Cell>
                    <Cell>{g.organisation_name || t('guests.none')}</Cell>
                    <Cell>{g.sponsor_name || t('guests.noSponsor')}</Cell>
                    <Cell>{g.last_sign_in_at ? formatDateTime(g.last_sign_in_at, lng) : t('guests.never')}</Cell>
                    <Cell>{formatDay(g.expires_on, lng)}</Cell>
                    <Cell>{g.workspaces.length === 0 ? t('guests.noWorkspaces') : g.workspaces.map((w) => w.name).join(', ')}</Cell>
                    <Cell>
                      <GuestState guest={g} />
                    </Cell>
                    <ActionCell>
                      <PermitButton permit={may.renew} place={place} variant="secondary" small icon="autorenew" busy={act.busy} onClick={() => void renew(g)}>
                        {t('guests.renew.button')}
                        <span className="app-sr-only">: {name}</span>
                      </PermitButton>
                      <PermitButton permit={may.offboard} place={place} variant="secondary" small icon="logout" onClick={() => setOffboard(g)}>
                        {t('guests.offboard.button')}
                        <span className="app-sr-only">: {name}</span>
                      </PermitButton>
                      <Reasons place={place} permits={[may.renew, may.offboard]} />
                    </ActionCell>
                  </Row>
                );
              })}
            </Table>
          </>
        )}
      </div>
      <OffboardDialog
        slug={slug}
        guest={offboard}
        onClose={() => setOffboard(null)}
        onDone={(g) => {
          replace(g);
          setNotice(t('guests.offboard.done', { name: guestName(g) }));
        }}
      />
    </>
  );
}
