import { useTranslation } from 'react-i18next';
import { Link, Navigate, Route, Routes, useLocation, useParams } from 'react-router';
import { useTenant } from '../auth/gates';
import { DocsProvider } from './context';
import { DocumentPage } from './DocumentPage';
import { FolderPage } from './FolderPage';
import { docsBase } from './parts';
import { SearchPage } from './SearchPage';
import { TrashPage } from './TrashPage';

function FolderRoute() {
  const { folderId } = useParams();
  // A new folder is a new page: remount, so that its heading takes focus.
  return <FolderPage key={folderId} folderId={folderId} />;
}

function DocumentRoute() {
  const { docId } = useParams();
  return <DocumentPage key={docId} docId={docId ?? ''} />;
}

/** The document store: folders, documents, search and trash (loaded on demand as its own chunk). */
export default function DocumentsModule() {
  const { t } = useTranslation();
  const tenant = useTenant();
  const { pathname } = useLocation();
  const base = docsBase(tenant.slug);
  const section = pathname.startsWith(`${base}/search`) ? 'search' : pathname.startsWith(`${base}/trash`) ? 'trash' : 'browse';
  const tabs = [
    { id: 'browse', to: base, label: t('docs.tabs.browse') },
    { id: 'search', to: `${base}/search`, label: t('docs.tabs.search') },
    { id: 'trash', to: `${base}/trash`, label: t('docs.tabs.trash') },
  ];
  return (
    <DocsProvider tenant={tenant}>
      <div className="app-docs">
        <nav className="app-tabs" aria-label={t('docs.navLabel')}>
          <ul className="app-tabs__list">
            {tabs.map((tab) => (
              <li key={tab.id}>
                <Link
                  to={tab.to}
                  aria-current={section === tab.id ? 'page' : undefined}
                  className={`app-tabs__link${section === tab.id ? ' app-tabs__link--active' : ''}`}
                >
                  {tab.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <Routes>
          <Route index element={<FolderPage key="root" />} />
          <Route path="f/:folderId" element={<FolderRoute />} />
          <Route path="d/:docId" element={<DocumentRoute />} />
          <Route path="trash" element={<TrashPage />} />
          <Route path="search" element={<SearchPage />} />
          <Route path="*" element={<Navigate to={base} replace />} />
        </Routes>
      </div>
    </DocsProvider>
  );
}
