import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Loading } from '../components/Loading';
import { useAction } from '../lib/useAction';
import type { TenantInfo } from './AdminConsole';
import type { GroupView } from './GroupsPage';
import { deleteConsequences } from './groups';

/**
 * Asks before a group is deleted and says what happens: the folder permissions granted to
 * it are removed (their number read from the server first), its members lose only the
 * access they had through it.
 */
export function DeleteGroupDialog({
  tenant,
  group,
  onClose,
  onDeleted,
}: {
  tenant: TenantInfo;
  group: GroupView | null;
  onClose: () => void;
  onDeleted: (g: GroupView) => void;
}) {
  const { t } = useTranslation();
  const [detail, setDetail] = useState<GroupView | null>(null);
  const load = useAction();

  useEffect(() => {
    setDetail(null);
    if (!group) return;
    void load.run(async () =>
      setDetail(await call(api.GET('/api/v1/t/{tenant}/groups/{id}', { params: { path: { tenant: tenant.slug, id: group.id } } }))),
    );
  }, [group?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const g = detail ?? group;
  return (
    <ConfirmDialog
      open={group !== null}
      title={group ? t('admin.groups.deleteTitle', { name: group.name }) : ''}
      confirmLabel={t('admin.groups.deleteConfirm')}
      onClose={onClose}
      onConfirm={async () => {
        if (!group) return;
        await call(api.DELETE('/api/v1/t/{tenant}/groups/{id}', { params: { path: { tenant: tenant.slug, id: group.id } } }));
        onDeleted(group);
      }}
    >
      <ErrorAlert error={load.error} focus={false} />
      {g && !detail && !load.error && <Loading inline />}
      {g && (detail !== null || Boolean(load.error)) && (
        <div data-testid="delete-group-consequences">
          {deleteConsequences(t, g.name, detail?.grant_count ?? undefined, g.member_count).map((line) => (
            <p key={line} className="kern-body">
              {line}
            </p>
          ))}
        </div>
      )}
    </ConfirmDialog>
  );
}
