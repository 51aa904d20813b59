import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { SelectField, TextAreaField, TextField } from '../components/Field';
import { FormDialog } from '../components/FormDialog';
import { PrincipalPicker } from '../documents/PrincipalPicker';
import { useMemberName } from '../documents/parts';
import { useFieldErrors } from '../lib/useFieldErrors';
import { createBody, draftErrors, draftOf, emptyDraft, VISIBILITIES, writers, type CreateBody, type Workspace, type WorkspaceDraft, type WorkspaceMember } from './model';

const FIELDS = ['name', 'purpose', 'file_number', 'starts_on', 'ends_on', 'responsible_id', 'visibility'] as const;
type Field = (typeof FIELDS)[number];
const fieldId = (f: Field) => `ws-${f}`;

type Props =
  | { open: boolean; workspace?: undefined; members?: undefined; onClose: () => void; onSubmit: (body: CreateBody) => Promise<unknown>; onServerError?: undefined }
  | {
      open: boolean;
      /** The workspace to change. */
      workspace: Workspace;
      /** Its members: the responsible person is one who writes. */
      members: WorkspaceMember[];
      onClose: () => void;
      onSubmit: (draft: WorkspaceDraft, before: WorkspaceDraft) => Promise<unknown>;
      /** Takes a problem the page handles itself (a 412); true if it did. */
      onServerError?: (err: unknown) => boolean;
    };

/**
 * Creates a workspace (name, purpose, Aktenzeichen, period, the responsible person found
 * with the member picker, visibility), or changes one (the responsible person is then
 * chosen among its members who write).
 */
export function WorkspaceDialog(props: Props) {
  const { t } = useTranslation();
  const { open, workspace, onClose } = props;
  const name = useMemberName();
  const [draft, setDraft] = useState<WorkspaceDraft>(emptyDraft);
  const fields = useFieldErrors(FIELDS, fieldId);
  const set = (patch: Partial<WorkspaceDraft>) => setDraft((d) => ({ ...d, ...patch }));

  const submit = () => {
    if (props.workspace) return props.onSubmit(draft, draftOf(props.workspace));
    return props.onSubmit(createBody(draft));
  };

  return (
    <FormDialog
      open={open}
      title={workspace ? t('workspaces.edit.title', { name: workspace.name }) : t('workspaces.create.title')}
      onClose={onClose}
      onOpen={() => setDraft(workspace ? draftOf(workspace) : emptyDraft())}
      fields={fields}
      validate={() => draftErrors(draft)}
      onSubmit={submit}
      onServerError={(err) => (props.onServerError?.(err) ?? false) || fields.fromServer(err)}
      submitLabel={workspace ? t('common.save') : t('workspaces.create.submit')}
      intro={workspace ? undefined : <p className="kern-body">{t('workspaces.create.intro')}</p>}
    >
      <TextField id={fieldId('name')} label={t('workspaces.fields.name')} value={draft.name} maxLength={200} required autoFocus onChange={(e) => set({ name: e.target.value })} error={fields.errors.name} />
      <TextAreaField id={fieldId('purpose')} label={t('workspaces.fields.purpose')} optional rows={3} maxLength={10000} value={draft.purpose} onChange={(e) => set({ purpose: e.target.value })} error={fields.errors.purpose} />
      <TextField
        id={fieldId('file_number')}
        label={t('workspaces.fields.fileNumber')}
        hint={t('workspaces.fields.fileNumberHint')}
        optional
        maxLength={100}
        value={draft.fileNumber}
        onChange={(e) => set({ fileNumber: e.target.value })}
        error={fields.errors.file_number}
      />
      <div className="app-form--inline">
        <TextField id={fieldId('starts_on')} type="date" label={t('workspaces.fields.startsOn')} optional value={draft.startsOn} onChange={(e) => set({ startsOn: e.target.value })} error={fields.errors.starts_on} />
        <TextField id={fieldId('ends_on')} type="date" label={t('workspaces.fields.endsOn')} optional value={draft.endsOn} onChange={(e) => set({ endsOn: e.target.value })} error={fields.errors.ends_on} />
      </div>
      {props.workspace ? (
        <SelectField
          id={fieldId('responsible_id')}
          label={t('workspaces.fields.responsible')}
          hint={t('workspaces.fields.responsibleEditHint')}
          value={draft.responsibleId}
          onChange={(e) => set({ responsibleId: e.target.value })}
          error={fields.errors.responsible_id}
        >
          {writers(props.members).map((m) => (
            <option key={m.membership_id} value={m.membership_id}>
              {name(m.membership_id)}
            </option>
          ))}
        </SelectField>
      ) : (
        <PrincipalPicker
          id={fieldId('responsible_id')}
          kind="user"
          label={`${t('workspaces.fields.responsible')} (${t('common.optional')})`}
          onChange={(p) => set({ responsibleId: p?.id ?? '' })}
          error={fields.errors.responsible_id}
        />
      )}
      <SelectField
        id={fieldId('visibility')}
        label={t('workspaces.fields.visibility')}
        hint={t('workspaces.fields.visibilityHint')}
        value={draft.visibility}
        onChange={(e) => set({ visibility: e.target.value as WorkspaceDraft['visibility'] })}
        error={fields.errors.visibility}
      >
        {VISIBILITIES.map((v) => (
          <option key={v} value={v}>
            {t(`workspaces.visibility.${v}`)}
          </option>
        ))}
      </SelectField>
    </FormDialog>
  );
}
