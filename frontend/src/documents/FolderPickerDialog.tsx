import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { Dialog } from '../components/Dialog';
import { Loading } from '../components/Loading';
import { useAction } from '../lib/useAction';
import { useDocs } from './context';
import { mergeById } from './listing';
import type { FolderView } from './model';
import { fetchFolder } from './parts';
import { buildTrail } from './trail';

interface Props {
  open: boolean;
  title: string;
  /** Label of the confirming button ("Hierher verschieben"). */
  confirmLabel: string;
  /** Where browsing starts (the item's current folder). */
  startFolderId?: string;
  /** A folder that cannot be chosen or entered (the folder being moved). */
  exclude?: string;
  /** Whether "all folders" (the top level) can be chosen (moving a folder to the top: admins only). */
  allowRoot?: boolean;
  /** The chosen folder needs write permission (default); a folder without it cannot be confirmed. */
  needWrite?: boolean;
  /** A note above the path (what happens on confirming). */
  intro?: string;
  onPick: (folder: FolderView | null) => Promise<unknown>;
  onClose: () => void;
}

/**
 * Chooses a destination folder by browsing the tree: open a folder to go down, the path
 * to go up, and confirm the folder that is open. Works with the keyboard alone.
 */
export function FolderPickerDialog({ open, title, confirmLabel, startFolderId, exclude, allowRoot = false, needWrite = true, intro, onPick, onClose }: Props) {
  const { t } = useTranslation();
  const { slug, folders: cache } = useDocs();
  const [here, setHere] = useState<FolderView | null>(null);
  const [list, setList] = useState<FolderView[] | null>(null);
  const [cursor, setCursor] = useState<string | undefined>();
  const load = useAction();
  const pick = useAction();

  const trailOf = (f: FolderView | null) => (f ? (cache.path(f.id) ?? buildTrail(f.id, (x) => cache.get(x)).trail) : []);

  const show = async (folder: FolderView | null, more?: string) => {
    const page = await load.run(() =>
      folder
        ? call(api.GET('/api/v1/t/{tenant}/folders/{id}/children', { params: { path: { tenant: slug, id: folder.id }, query: { limit: 100, ...(more ? { cursor: more } : {}) } } }))
        : call(api.GET('/api/v1/t/{tenant}/folders', { params: { path: { tenant: slug }, query: { limit: 100, ...(more ? { cursor: more } : {}) } } })),
    );
    if (!page) return;
    cache.remember(...(page.folders ?? []));
    // Going down: the child's path is the parent's plus itself.
    if (folder && here && folder.parent_id === here.id && !cache.path(folder.id)) cache.rememberPath(folder.id, [...trailOf(here), { id: folder.id, name: folder.name }]);
    setHere(folder);
    setList((l) => (more && l ? mergeById(l, page.folders ?? []) : (page.folders ?? [])));
    setCursor(page.next_cursor ?? undefined);
  };

  useEffect(() => {
    if (!open) return;
    pick.setError(null);
    void (async () => {
      const start = startFolderId ? (cache.get(startFolderId) ?? (await fetchFolder(slug, startFolderId).catch(() => null))) : null;
      if (start) cache.remember(start);
      await show(start);
    })();
  }, [open]); // eslint-disable-line react-hooks/exhaustive-deps

  const trail = trailOf(here);
  // Why the open folder cannot be chosen (and who could), or '' when it can.
  const blocked = !here
    ? allowRoot
      ? ''
      : t('docs.picker.topBlocked')
    : here.id === exclude
      ? t('docs.picker.selfBlocked')
      : needWrite && here.access === 'read'
        ? t('docs.picker.readOnly', { name: here.name })
        : '';
  const choosable = blocked === '';
  const blockedId = 'picker-blocked';

  const confirm = async () => {
    const ok = await pick.run(async () => {
      await onPick(here);
      return true;
    });
    if (ok) onClose();
  };

  return (
    <Dialog
      open={open}
      title={title}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button onClick={confirm} busy={pick.busy} disabled={!choosable} aria-describedby={!choosable && list !== null ? blockedId : undefined}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <ErrorAlert error={pick.error} />
      {intro && <p className="kern-body">{intro}</p>}
      <p className="kern-body" id="picker-target">
        {t('docs.picker.target')}: <strong>{here ? here.name : t('docs.picker.top')}</strong>
      </p>
      {!choosable && list !== null && (
        <p className="kern-body kern-body--small app-muted-line" id={blockedId} data-testid="picker-blocked">
          {blocked}
        </p>
      )}
      <nav aria-label={t('docs.picker.path')} className="app-breadcrumbs">
        <ol className="app-breadcrumbs__list">
          <li className="app-breadcrumbs__item">
            {here ? (
              <button type="button" className="app-linkbutton" onClick={() => void show(null)}>
                {t('docs.picker.top')}
              </button>
            ) : (
              <span aria-current="location">{t('docs.picker.top')}</span>
            )}
          </li>
          {trail.map((c, i) => (
            <li key={c.id} className="app-breadcrumbs__item">
              {i < trail.length - 1 ? (
                <button type="button" className="app-linkbutton" onClick={() => void show(cache.get(c.id) ?? ({ id: c.id, name: c.name } as FolderView))}>
                  {c.name}
                </button>
              ) : (
                <span aria-current="location">{c.name}</span>
              )}
            </li>
          ))}
        </ol>
      </nav>
      <ErrorAlert error={load.error} focus={false} />
      {list === null ? (
        <Loading inline />
      ) : list.length === 0 ? (
        <p className="kern-body kern-body--muted">{t('docs.picker.noSubfolders')}</p>
      ) : (
        <ul className="app-picker" aria-label={t('docs.picker.subfolders')}>
          {list.map((f) => (
            <li key={f.id}>
              {f.id === exclude ? (
                // The folder being moved cannot be entered: said, not a dead button.
                <span className="app-picker__item app-picker__item--blocked">
                  <span className="kern-icon kern-icon--chevron-right kern-icon--small" aria-hidden="true" />
                  <span>
                    {f.name} <span className="app-muted-line">({t('docs.picker.isMoved')})</span>
                  </span>
                </span>
              ) : (
                <button type="button" className="app-picker__item" onClick={() => void show(f)}>
                  <span className="kern-icon kern-icon--chevron-right kern-icon--small" aria-hidden="true" />
                  <span>
                    {f.name}
                    <span className="app-sr-only"> – {t('docs.picker.open')}</span>
                  </span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {cursor && (
        <Button variant="tertiary" small onClick={() => void show(here, cursor)} busy={load.busy}>
          {t('docs.loadMore')}
        </Button>
      )}
    </Dialog>
  );
}
