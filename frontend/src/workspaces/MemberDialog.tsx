import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SelectField } from '../components/Field';
import { FormDialog } from '../components/FormDialog';
import { PrincipalPicker, type PickedPrincipal } from '../documents/PrincipalPicker';
import { useFieldErrors } from '../lib/useFieldErrors';
import { WORKSPACE_ROLES, type WorkspaceMember, type WorkspaceRole } from './model';

const FIELDS = ['membership', 'role'] as const;

/**
 * Adds a staff member of the tenant to a workspace (found with the member picker) with a
 * role, or changes a member's role.
 */
export function MemberDialog({
  open,
  member,
  memberName,
  onClose,
  onSubmit,
}: {
  open: boolean;
  /** The member whose role changes; absent: a new member. */
  member?: WorkspaceMember;
  memberName?: string;
  onClose: () => void;
  onSubmit: (membershipId: string, role: WorkspaceRole, name: string) => Promise<unknown>;
}) {
  // Guests are members or readers, never owners.
  const roles = member?.guest ? WORKSPACE_ROLES.filter((r) => r !== 'owner') : WORKSPACE_ROLES;
  const { t } = useTranslation();
  const [person, setPerson] = useState<PickedPrincipal | null>(null);
  const [role, setRole] = useState<WorkspaceRole>('member');
  const fields = useFieldErrors(FIELDS, (f) => (f === 'membership' ? 'ws-member-person' : 'ws-member-role'));

  return (
    <FormDialog
      open={open}
      title={member ? t('workspaces.member.changeTitle', { name: memberName }) : t('workspaces.member.addTitle')}
      onClose={onClose}
      onOpen={() => {
        setPerson(null);
        setRole(member?.role ?? 'member');
      }}
      fields={fields}
      validate={() => ({ membership: !member && !person ? 'workspaces.member.personRequired' : undefined })}
      onSubmit={() => onSubmit(member?.membership_id ?? person!.id, role, member ? (memberName ?? '') : person!.name)}
      submitLabel={member ? t('common.save') : t('workspaces.member.add')}
    >
      {!member && <PrincipalPicker id="ws-member-person" kind="user" label={t('workspaces.member.person')} onChange={setPerson} error={fields.errors.membership} />}
      <SelectField id="ws-member-role" label={t('workspaces.member.role')} hint={t(member?.guest ? 'guests.roleHint' : 'workspaces.member.roleHint')} value={role} onChange={(e) => setRole(e.target.value as WorkspaceRole)} error={fields.errors.role}>
        {roles.map((r) => (
          <option key={r} value={r}>
            {t(`workspaces.role.${r}`)}
          </option>
        ))}
      </SelectField>
    </FormDialog>
  );
}
