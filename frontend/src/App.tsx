import { lazy, Suspense, useEffect, useRef } from 'react';
import { BrowserRouter, Route, Routes, useLocation } from 'react-router';
import { HomeRedirect, RequireSession, TenantGate } from './auth/gates';
import { ReauthDialog } from './auth/ReauthDialog';
import { SessionProvider } from './auth/session';
import { Loading } from './components/Loading';
import { AppFrame } from './frame/AppFrame';
import { EnrolPage } from './pages/EnrolPage';
import { InvitePage } from './pages/InvitePage';
import { LoginPage } from './pages/LoginPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { ProfilePage } from './pages/profile/ProfilePage';
import { StartPage } from './pages/StartPage';

// The admin console is a separate chunk: most people never load it.
const AdminConsole = lazy(() => import('./admin/AdminConsole'));
// So is the document store.
const DocumentsModule = lazy(() => import('./documents/DocumentsModule'));
// And the committees (meetings and polls: the addresses invitation mails link to).
const CommitteesModule = lazy(() => import('./committees/CommitteesModule'));
// And the workspaces (Arbeitsräume).
const WorkspacesModule = lazy(() => import('./workspaces/WorkspacesModule'));
// The notifications list (the bell's page).
const NotificationsPage = lazy(() => import('./notifications/NotificationsPage'));
// And the address book (organisations and contact people).
const AddressBookModule = lazy(() => import('./addressbook/AddressBookModule'));
// And the guests (sponsors' "Meine Gäste", the administrators' access review).
const GuestsModule = lazy(() => import('./guests/GuestsModule'));
// Consultations (Beteiligungsverfahren): the page notifications consultation.* link to.
const ConsultationsModule = lazy(() => import('./consultations/ConsultationsModule'));

/**
 * Once the person has interacted with the app, every change of page moves focus to the
 * new page's heading (PageHeading reads the mark), so screen readers announce it. Redirects
 * while the app starts leave focus alone, so the first Tab still reaches the skip link.
 */
function NavigationMarker() {
  const loc = useLocation();
  const first = useRef(true);
  const interacted = useRef(false);
  useEffect(() => {
    const mark = () => {
      interacted.current = true;
    };
    document.addEventListener('keydown', mark, { once: true, capture: true });
    document.addEventListener('pointerdown', mark, { once: true, capture: true });
    return () => {
      document.removeEventListener('keydown', mark, { capture: true });
      document.removeEventListener('pointerdown', mark, { capture: true });
    };
  }, []);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (interacted.current) document.body.dataset.navigated = 'true';
  }, [loc.pathname]);
  return null;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/invite/:slug" element={<InvitePage />} />
      <Route element={<RequireSession />}>
        <Route path="/enrol" element={<EnrolPage />} />
        <Route element={<AppFrame />}>
          <Route index element={<HomeRedirect />} />
          <Route path="/profile" element={<ProfilePage />} />
          <Route path="/t/:slug" element={<TenantGate />}>
            <Route index element={<StartPage />} />
            <Route
              path="documents/*"
              element={
                <Suspense fallback={<Loading />}>
                  <DocumentsModule />
                </Suspense>
              }
            />
            {(['committees', 'meetings', 'polls'] as const).map((area) => (
              <Route
                key={area}
                path={`${area}/*`}
                element={
                  <Suspense fallback={<Loading />}>
                    <CommitteesModule area={area} />
                  </Suspense>
                }
              />
            ))}
            <Route
              path="workspaces/*"
              element={
                <Suspense fallback={<Loading />}>
                  <WorkspacesModule />
                </Suspense>
              }
            />
            <Route
              path="consultations/*"
              element={
                <Suspense fallback={<Loading />}>
                  <ConsultationsModule />
                </Suspense>
              }
            />
            <Route
              path="notifications"
              element={
                <Suspense fallback={<Loading />}>
                  <NotificationsPage />
                </Suspense>
              }
            />
            <Route
              path="addressbook/*"
              element={
                <Suspense fallback={<Loading />}>
                  <AddressBookModule />
                </Suspense>
              }
            />
            <Route
              path="guests/*"
              element={
                <Suspense fallback={<Loading />}>
                  <GuestsModule />
                </Suspense>
              }
            />
            <Route
              path="admin/*"
              element={
                <Suspense fallback={<Loading />}>
                  <AdminConsole />
                </Suspense>
              }
            />
          </Route>
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Route>
    </Routes>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <NavigationMarker />
        <AppRoutes />
        <ReauthDialog />
      </SessionProvider>
    </BrowserRouter>
  );
}
