import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { call } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { useDocs } from '../documents/context';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { formatDay, workspaceHref } from '../workspaces/model';
import { PermitButton, Reasons } from '../workspaces/parts';
import { guestApi, type GuestView } from './api';
import { GuestEditDialog } from './GuestEditDialog';
import { guestName, guestPermits } from './model';
import { GuestCrumbs, GuestState, OffboardDialog, renewedText, renewGuest } from './parts';

/**
 * One guest (for their sponsor and administrators; notifications "guest.expiring" link
 * here): who, from which organisation, sponsored by whom, when last signed in, until when,
 * in which workspaces; renew by 180 days, end the access, change sponsor or organisation.
 */
export function GuestPage({ guestId }: { guestId: string }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const { slug, isAdmin } = useDocs();
  const [guest, setGuest] = useState<GuestView | null>(null);
  const [notice, setNotice] = useState('');
  const [pending, setPending] = useState<'offboard' | 'edit' | null>(null);
  const load = useAction();
  const act = useAction();
  const path = { tenant: slug, id: guestId };

  useEffect(() => {
    void load.run(async () => setGuest(await call(guestApi.GET('/api/v1/t/{tenant}/guests/{id}', { params: { path } }))));
  }, [slug, guestId]); // eslint-disable-line react-hooks/exhaustive-deps

  if (load.error && !guest) {
    return (
      <>
        <GuestCrumbs slug={slug} isAdmin={isAdmin} current={t('guests.unavailable')} />
        <PageHeading title={t('guests.unavailable')}>{t('guests.unavailable')}</PageHeading>
        <ErrorAlert error={load.error} />
      </>
    );
  }
  if (!guest) return <Loading />;

  const name = guestName(guest);
  const may = guestPermits(guest);
  const renew = async () => {
    setNotice('');
    const g = await act.run(() => renewGuest(slug, guest));
    if (!g) return;
    setGuest(g);
    setNotice(renewedText(t, g, lng));
  };

  return (
    <>
      <GuestCrumbs slug={slug} isAdmin={isAdmin} current={name} />
      <PageHeading title={name} sub={t('guests.detailLead')}>
        {name}
      </PageHeading>
      {notice && <Alert variant="success" title={notice} live="status" />}
      <ErrorAlert error={act.error} />
      <section className="app-section" aria-labelledby="guest-details">
        <h2 id="guest-details" className="kern-heading-medium">
          {t('guests.details')}
        </h2>
        <dl className="kern-description-list">
          <Item label={t('guests.fields.state')}>
            <GuestState guest={guest} />
          </Item>
          <Item label={t('guests.fields.email')}>
            <span className="app-break">{guest.email}</span>
          </Item>
          <Item label={t('guests.fields.organisation')}>{guest.organisation_name || t('guests.none')}</Item>
          <Item label={t('guests.fields.sponsor')}>{guest.sponsor_name || t('guests.noSponsor')}</Item>
          <Item label={t('guests.fields.lastSignIn')}>{guest.last_sign_in_at ? formatDateTime(guest.last_sign_in_at, lng) : t('guests.never')}</Item>
          <Item label={t('guests.fields.until')}>{formatDay(guest.expires_on, lng)}</Item>
          {guest.reminded_at && <Item label={t('guests.fields.reminded')}>{formatDateTime(guest.reminded_at, lng)}</Item>}
          <Item label={t('guests.fields.totp')}>{t(guest.totp_enabled ? 'guests.totpOn' : 'guests.totpOff')}</Item>
        </dl>
        <div className="app-actions">
          <PermitButton permit={may.renew} place="guest" icon="autorenew" busy={act.busy} onClick={() => void renew()}>
            {t('guests.renew.button')}
            <span className="app-sr-only">: {name}</span>
          </PermitButton>
          <PermitButton permit={may.offboard} place="guest" variant="secondary" icon="logout" onClick={() => setPending('offboard')}>
            {t('guests.offboard.button')}
            <span className="app-sr-only">: {name}</span>
          </PermitButton>
          <Button variant="secondary" icon="edit" onClick={() => setPending('edit')}>
            {t('guests.edit.button')}
          </Button>
        </div>
        <Reasons place="guest" permits={[may.renew, may.offboard]} />
      </section>
      <section className="app-section" aria-labelledby="guest-workspaces">
        <h2 id="guest-workspaces" className="kern-heading-medium">
          {t('guests.fields.workspaces')}
        </h2>
        {guest.workspaces.length === 0 ? (
          <p className="kern-body">{t('guests.noWorkspaces')}</p>
        ) : (
          <ul className="kern-list" data-testid="guest-workspaces">
            {guest.workspaces.map((w) => (
              <li key={w.id} className="kern-body">
                <Link className="kern-link" to={workspaceHref(slug, w.id)}>
                  {w.name}
                </Link>{' '}
                ({t(`workspaces.role.${w.role}`)})
              </li>
            ))}
          </ul>
        )}
      </section>
      <OffboardDialog
        slug={slug}
        guest={pending === 'offboard' ? guest : null}
        onClose={() => setPending(null)}
        onDone={(g) => {
          setGuest(g);
          setNotice(t('guests.offboard.done', { name: guestName(g) }));
        }}
      />
      <GuestEditDialog
        open={pending === 'edit'}
        slug={slug}
        guest={guest}
        onClose={() => setPending(null)}
        onSubmit={(body) => call(guestApi.PATCH('/api/v1/t/{tenant}/guests/{id}', { params: { path }, body }))}
        onDone={(g) => {
          setGuest(g);
          setNotice(t('guests.edit.done', { name: guestName(g) }));
        }}
      />
    </>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="kern-description-list-item">
      <dt className="kern-description-list-item__key">{label}</dt>
      <dd className="kern-description-list-item__value">{children}</dd>
    </div>
  );
}
