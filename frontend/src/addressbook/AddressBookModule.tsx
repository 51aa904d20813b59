import { Navigate, Route, Routes, useParams } from 'react-router';
import { useTenant } from '../auth/gates';
import './addressbook.css';
import { ImportPage } from './ImportPage';
import { addressBase } from './model';
import { OrganisationPage } from './OrganisationPage';
import { OrganisationsPage } from './OrganisationsPage';

function OrganisationRoute({ slug }: { slug: string }) {
  const { orgId = '' } = useParams();
  // Another organisation is another page: remount, so that its heading takes focus.
  return <OrganisationPage key={orgId} slug={slug} id={orgId} />;
}

/**
 * The address book (Adressverzeichnis): external organisations and their contact people,
 * import (CSV, vCard) with a preview, export. Staff and administrators use it; anyone else
 * reaching the address sees the server's reason (403). Loaded on demand as its own chunk.
 */
export default function AddressBookModule() {
  const tenant = useTenant();
  const slug = tenant.slug;
  return (
    <div className="app-addressbook">
      <Routes>
        <Route index element={<OrganisationsPage slug={slug} />} />
        <Route path="import" element={<ImportPage slug={slug} />} />
        <Route path=":orgId" element={<OrganisationRoute slug={slug} />} />
        <Route path="*" element={<Navigate to={addressBase(slug)} replace />} />
      </Routes>
    </div>
  );
}
