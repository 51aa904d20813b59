import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, ROLES, type Role } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { Button } from '../components/Button';
import { Dialog } from '../components/Dialog';
import { Checkbox, SelectField } from '../components/Field';
import { Loading } from '../components/Loading';
import { ActionCell, Cell, Row, Table } from '../components/Table';
import { useAction } from '../lib/useAction';
import { useDocs } from './context';
import { LEVELS, type ACLEntryView, type FolderACLView, type FolderView, type Level, type PrincipalView } from './model';
import { fetchFolder, useDirectory, useMemberName } from './parts';
import { PrincipalPicker, type PickedPrincipal } from './PrincipalPicker';

type PrincipalType = PrincipalView['type'];

/** Who a permission entry grants to, in words (names from the tenant's directory). */
export function usePrincipalLabel() {
  const { t } = useTranslation();
  const directory = useDirectory();
  const memberName = useMemberName();
  return (p: PrincipalView): string => {
    switch (p.type) {
      case 'role':
        return t('docs.perm.roleLabel', { role: t(`roles.${p.role ?? 'staff'}`) });
      case 'group': {
        const g = p.group_id ? directory.group(p.group_id) : null;
        return t('docs.perm.groupLabel', { name: g === undefined ? t('docs.personLoading') : (g?.name ?? t('docs.perm.unknownGroup')) });
      }
      case 'user':
        return t('docs.perm.userLabel', { name: memberName(p.membership_id) });
    }
  };
}

/**
 * A folder's permissions: its own entries and the inherited ones (with the folder they
 * come from), new grants to a role, group or person, removal, and inheritance.
 */
export function PermissionsDialog({ open, folder, onClose }: { open: boolean; folder: FolderView; onClose: () => void }) {
  const { t } = useTranslation();
  const { slug, directory, folders: cache } = useDocs();
  const label = usePrincipalLabel();
  const [acl, setAcl] = useState<FolderACLView | null>(null);
  const [sources, setSources] = useState<Record<string, string>>({});
  const [type, setType] = useState<PrincipalType>('role');
  const [role, setRole] = useState<Role>('staff');
  const [picked, setPicked] = useState<PickedPrincipal | null>(null);
  const [pickError, setPickError] = useState('');
  // A new picker (empty field) after each grant and change of type.
  const [pickerKey, setPickerKey] = useState(0);
  const [level, setLevel] = useState<Level>('read');
  const [copyInherited, setCopyInherited] = useState(true);
  const [message, setMessage] = useState('');
  const load = useAction();
  const action = useAction();
  const path = { tenant: slug, id: folder.id };

  useEffect(() => {
    if (!open) return;
    setMessage('');
    action.setError(null);
    void load.run(async () => setAcl(await call(api.GET('/api/v1/t/{tenant}/folders/{id}/permissions', { params: { path } }))));
  }, [open, folder.id]); // eslint-disable-line react-hooks/exhaustive-deps

  // Names of the folders inherited entries come from.
  useEffect(() => {
    if (!acl) return;
    const ids = [...new Set([...acl.entries, ...(acl.committees ?? [])].filter((e) => e.inherited).map((e) => e.source_folder_id))];
    let live = true;
    void Promise.all(ids.map(async (id) => [id, cache.get(id)?.name ?? (await fetchFolder(slug, id).catch(() => null))?.name ?? ''] as const)).then(
      (pairs) => live && setSources(Object.fromEntries(pairs)),
    );
    return () => {
      live = false;
    };
  }, [acl, slug, cache]);

  const changeType = (next: PrincipalType) => {
    setType(next);
    setPicked(null);
    setPickError('');
    setPickerKey((k) => k + 1);
  };

  const grant = async (e: FormEvent) => {
    e.preventDefault();
    if (type !== 'role' && (!picked || picked.type !== type)) {
      setPickError(t(type === 'user' ? 'docs.perm.pickRequiredUser' : 'docs.perm.pickRequiredGroup'));
      document.getElementById('perm-target')?.focus();
      return;
    }
    setPickError('');
    const principal: PrincipalView =
      type === 'role' ? { type, role } : type === 'group' ? { type, group_id: picked!.id } : { type, membership_id: picked!.id };
    const entry = await action.run(() => call(api.PUT('/api/v1/t/{tenant}/folders/{id}/permissions', { params: { path }, body: { principal, level } })));
    if (!entry) return;
    const fresh = await action.run(() => call(api.GET('/api/v1/t/{tenant}/folders/{id}/permissions', { params: { path } })));
    if (fresh) setAcl(fresh);
    setMessage(t('docs.perm.granted', { who: label(principal), level: t(`docs.level.${level}`) }));
    if (type !== 'role') {
      setPicked(null);
      setPickerKey((k) => k + 1);
    }
  };

  const remove = async (entry: ACLEntryView) => {
    const ok = await action.run(async () => {
      await call(api.DELETE('/api/v1/t/{tenant}/folders/{id}/permissions/{entry}', { params: { path: { ...path, entry: entry.id } } }));
      return true;
    });
    if (!ok) return;
    setAcl((a) => (a ? { ...a, entries: a.entries.filter((x) => x.id !== entry.id) } : a));
    setMessage(t('docs.perm.removed', { who: label(entry.principal) }));
    setTimeout(() => document.getElementById('perm-table-title')?.focus(), 0);
  };

  const inherit = async (value: boolean) => {
    const next = await action.run(() =>
      call(api.PUT('/api/v1/t/{tenant}/folders/{id}/inheritance', { params: { path }, body: { inherit: value, copy_inherited: value ? undefined : copyInherited } })),
    );
    if (!next) return;
    setAcl(next);
    setMessage(value ? t('docs.perm.inheritOn') : t('docs.perm.inheritOff'));
  };

  return (
    <Dialog open={open} title={t('docs.perm.title', { name: folder.name })} onClose={onClose}>
      {message && <Alert variant="success" title={message} live="status" />}
      <ErrorAlert error={action.error} />
      <ErrorAlert error={load.error} />
      {!acl && !load.error && <Loading inline />}
      {acl && (
        <>
          <h3 id="perm-table-title" className="kern-heading-small" tabIndex={-1}>
            {t('docs.perm.entries')}
          </h3>
          <Table
            empty={<p className="kern-body">{t('docs.perm.none')}</p>}
            labelledBy="perm-table-title"
            caption={t('docs.perm.caption', { name: folder.name })}
            columns={[t('docs.perm.who'), t('docs.perm.level'), t('docs.perm.source')]}
            actions
          >
            {acl.entries.map((e) => (
              <Row key={e.id} data-principal={label(e.principal)}>
                <Cell>{label(e.principal)}</Cell>
                <Cell>{t(`docs.level.${e.level}`)}</Cell>
                <Cell>{e.inherited ? <Badge variant="info">{t('docs.perm.inheritedFrom', { name: sources[e.source_folder_id] || '…' })}</Badge> : t('docs.perm.own')}</Cell>
                <ActionCell>
                  {!e.inherited && (
                    <Button variant="secondary" small onClick={() => void remove(e)} busy={action.busy}>
                      {t('docs.perm.remove')}
                      <span className="app-sr-only">: {label(e.principal)}</span>
                    </Button>
                  )}
                </ActionCell>
              </Row>
            ))}
          </Table>

          {(acl.committees ?? []).length > 0 && (
            <div className="app-dialog-group" data-testid="perm-committees">
              <h3 id="perm-committees-title" className="kern-heading-small">
                {t('docs.perm.committeesTitle')}
              </h3>
              <ul className="app-links" aria-labelledby="perm-committees-title">
                {(acl.committees ?? []).map((g) => (
                  <li key={g.committee_id} className="kern-body">
                    {t('docs.perm.committeeGrant', { name: g.committee_name })}{' '}
                    {g.inherited && <Badge variant="info">{t('docs.perm.inheritedFrom', { name: sources[g.source_folder_id] || '…' })}</Badge>}
                  </li>
                ))}
              </ul>
              <p className="kern-hint">{t('docs.perm.committeesHint')}</p>
            </div>
          )}

          <form className="app-dialog-group" onSubmit={grant} aria-labelledby="perm-add-title">
            <h3 id="perm-add-title" className="kern-heading-small">
              {t('docs.perm.add')}
            </h3>
            <SelectField id="perm-type" label={t('docs.perm.type')} value={type} onChange={(e) => changeType(e.target.value as PrincipalType)}>
              <option value="role">{t('docs.perm.typeRole')}</option>
              <option value="group" disabled={!directory.enabled}>
                {t('docs.perm.typeGroup')}
              </option>
              <option value="user" disabled={!directory.enabled}>
                {t('docs.perm.typeUser')}
              </option>
            </SelectField>
            {!directory.enabled && <p className="kern-hint">{t('docs.perm.directoryHint')}</p>}
            {type === 'role' ? (
              <SelectField id="perm-target" label={t('docs.perm.typeRole')} value={role} onChange={(e) => setRole(e.target.value as Role)}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {t(`roles.${r}`)}
                  </option>
                ))}
              </SelectField>
            ) : (
              <PrincipalPicker
                key={`${type}-${pickerKey}`}
                id="perm-target"
                kind={type}
                label={t(type === 'user' ? 'docs.perm.pickPerson' : 'docs.perm.pickGroup')}
                error={pickError}
                onChange={(p) => {
                  setPicked(p);
                  if (p) setPickError('');
                }}
              />
            )}
            <SelectField id="perm-level" label={t('docs.perm.level')} hint={t('docs.perm.levelHint')} value={level} onChange={(e) => setLevel(e.target.value as Level)}>
              {LEVELS.map((l) => (
                <option key={l} value={l}>
                  {t(`docs.level.${l}`)}
                </option>
              ))}
            </SelectField>
            <Button type="submit" busy={action.busy}>
              {t('docs.perm.grant')}
            </Button>
          </form>

          {folder.parent_id && (
            <div className="app-dialog-group">
              <h3 className="kern-heading-small">{t('docs.perm.inheritance')}</h3>
              <p className="kern-body">{acl.inherit_acl ? t('docs.perm.inheritsText') : t('docs.perm.brokenText')}</p>
              {acl.inherit_acl ? (
                <>
                  <Checkbox id="perm-copy" label={t('docs.perm.copyInherited')} checked={copyInherited} onChange={(e) => setCopyInherited(e.target.checked)} />
                  <Button variant="secondary" onClick={() => void inherit(false)} busy={action.busy}>
                    {t('docs.perm.breakInheritance')}
                  </Button>
                </>
              ) : (
                <Button variant="secondary" onClick={() => void inherit(true)} busy={action.busy}>
                  {t('docs.perm.restoreInheritance')}
                </Button>
              )}
            </div>
          )}
        </>
      )}
    </Dialog>
  );
}
