import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useParams } from 'react-router';
import { useTenant } from '../auth/gates';
import { Alert } from '../components/Alert';
import { PageHeading } from '../components/PageHeading';
import { DocsProvider } from '../documents/context';
import { GuestPage } from './GuestPage';
import { GuestsPage } from './GuestsPage';
import { guestsBase, mayManageGuests } from './model';
import '../workspaces/workspaces.css';
import './guests.css';

function GuestRoute() {
  const { guestId = '' } = useParams();
  // Another guest is another page: remount, so that its heading takes focus.
  return <GuestPage key={guestId} guestId={guestId} />;
}

/**
 * Guests (Gäste): the sponsor's list ("Meine Gäste") or, for administrators, the access
 * review of every guest ("Zugangsprüfung"), and a guest's page. For staff and
 * administrators; loaded on demand as its own chunk.
 */
export default function GuestsModule() {
  const { t } = useTranslation();
  const tenant = useTenant();
  if (!mayManageGuests(tenant.role)) {
    return (
      <>
        <PageHeading title={t('guests.titleMine')}>{t('guests.titleMine')}</PageHeading>
        <Alert variant="info" title={t('guests.notForRole')} />
      </>
    );
  }
  return (
    <DocsProvider tenant={tenant}>
      <div className="app-guests">
        <Routes>
          <Route index element={<GuestsPage />} />
          <Route path=":guestId" element={<GuestRoute />} />
          <Route path="*" element={<Navigate to={guestsBase(tenant.slug)} replace />} />
        </Routes>
      </div>
    </DocsProvider>
  );
}
