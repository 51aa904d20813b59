// Pieces the guest screens share: the breadcrumbs, the state badge, the workspace names,
// and the two actions on a guest (renew by the default 180 days; end the access after a
// confirmation that says what happens).
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { call } from '../api/client';
import { Badge } from '../components/Badge';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { formatDay } from '../workspaces/model';
import { guestApi, type GuestView } from './api';
import { guestName, guestsBase, stateVariant } from './model';

/** "Meine Gäste" for sponsors, "Zugangsprüfung" for administrators (who see every guest). */
export const guestsTitleKey = (isAdmin: boolean) => (isAdmin ? 'guests.titleAdmin' : 'guests.titleMine');

export function GuestCrumbs({ current, isAdmin, slug }: { current: string; isAdmin: boolean; slug: string }) {
  const { t } = useTranslation();
  return (
    <nav className="app-breadcrumbs" aria-label={t('docs.breadcrumbs')}>
      <ol className="app-breadcrumbs__list">
        <li className="app-breadcrumbs__item">
          <Link className="kern-link" to={guestsBase(slug)}>
            {t(guestsTitleKey(isAdmin))}
          </Link>
        </li>
        <li className="app-breadcrumbs__item">
          <span aria-current="page">{current}</span>
        </li>
      </ol>
    </nav>
  );
}

export function GuestState({ guest }: { guest: Pick<GuestView, 'state'> }) {
  const { t } = useTranslation();
  return <Badge variant={stateVariant(guest.state)}>{t(`guests.state.${guest.state}`)}</Badge>;
}

/** POST …/renew without a date: the server's default, 180 days from today. */
export function renewGuest(slug: string, g: GuestView): Promise<GuestView> {
  return call(guestApi.POST('/api/v1/t/{tenant}/guests/{id}/renew', { params: { path: { tenant: slug, id: g.membership_id } }, body: {} }));
}

/** The status text after a renewal: whose access, until when. */
export function renewedText(t: (k: string, o?: Record<string, unknown>) => string, g: GuestView, lng: string): string {
  return t('guests.renew.done', { name: guestName(g), date: formatDay(g.expires_on, lng) });
}

/** Asks before a guest's access ends, saying what happens; `onDone` gets the guest as the server answered. */
export function OffboardDialog({ slug, guest, onClose, onDone }: { slug: string; guest: GuestView | null; onClose: () => void; onDone: (g: GuestView) => Promise<void> | void }) {
  const { t } = useTranslation();
  const name = guest ? guestName(guest) : '';
  return (
    <ConfirmDialog
      open={guest !== null}
      title={t('guests.offboard.title', { name })}
      confirmLabel={t('guests.offboard.button')}
      onClose={onClose}
      onConfirm={async () => {
        if (!guest) return;
        const g = await call(guestApi.POST('/api/v1/t/{tenant}/guests/{id}/offboard', { params: { path: { tenant: slug, id: guest.membership_id } }, body: {} }));
        await onDone(g);
      }}
    >
      {guest && (
        <ul className="kern-list" data-testid="offboard-consequences">
          <li className="kern-body">{t('guests.offboard.workspaces', { name, count: guest.workspaces.length })}</li>
          <li className="kern-body">{t('guests.offboard.sessions', { name })}</li>
          <li className="kern-body">{t('guests.offboard.content')}</li>
          <li className="kern-body">{t('guests.offboard.undo')}</li>
        </ul>
      )}
    </ConfirmDialog>
  );
}
