import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { SelectField } from '../components/Field';
import { FormDialog } from '../components/FormDialog';
import { PrincipalPicker, type PickedPrincipal } from '../documents/PrincipalPicker';
import { useFieldErrors } from '../lib/useFieldErrors';
import { ORGANISATION_LIMIT } from '../workspaces/GuestInviteDialog';
import type { GuestUpdateBody, GuestView } from './api';

const FIELDS = ['sponsor_id', 'organisation_id'] as const;
const fieldId = (f: (typeof FIELDS)[number]) => (f === 'sponsor_id' ? 'guest-edit-sponsor' : 'guest-edit-organisation');

/**
 * Changes a guest's sponsor (a staff member found with the member picker; left empty:
 * unchanged) and organisation (from the address book; "Keine Organisation" clears it).
 * Sends only what changed.
 */
export function GuestEditDialog({
  open,
  slug,
  guest,
  onClose,
  onSubmit,
  onDone,
}: {
  open: boolean;
  slug: string;
  guest: GuestView;
  onClose: () => void;
  onSubmit: (body: GuestUpdateBody) => Promise<GuestView>;
  onDone: (g: GuestView) => void;
}) {
  const { t } = useTranslation();
  const [sponsor, setSponsor] = useState<PickedPrincipal | null>(null);
  const [organisation, setOrganisation] = useState('');
  const [orgs, setOrgs] = useState<{ id: string; name: string }[] | null>(null);
  const [orgsFailed, setOrgsFailed] = useState(false);
  const fields = useFieldErrors(FIELDS, fieldId);

  return (
    <FormDialog
      open={open}
      title={t('guests.edit.title', { name: guest.display_name || guest.email })}
      onClose={onClose}
      onOpen={() => {
        setSponsor(null);
        setOrganisation(guest.organisation_id ?? '');
        if (orgs) return;
        setOrgsFailed(false);
        call(api.GET('/api/v1/t/{tenant}/organisations', { params: { path: { tenant: slug }, query: { limit: ORGANISATION_LIMIT } } })).then(
          (res) => setOrgs(res.organisations.map((o) => ({ id: o.id, name: o.name }))),
          () => setOrgsFailed(true),
        );
      }}
      fields={fields}
      validate={() => ({ sponsor_id: !sponsor && organisation === (guest.organisation_id ?? '') ? 'guests.edit.nothing' : undefined })}
      onSubmit={() => {
        const body: GuestUpdateBody = {};
        if (sponsor && sponsor.id !== guest.sponsor_id) body.sponsor_id = sponsor.id;
        if (organisation !== (guest.organisation_id ?? '')) body.organisation_id = organisation;
        return onSubmit(body);
      }}
      onDone={onDone}
      submitLabel={t('common.save')}
      intro={
        <p className="kern-body">
          {t('guests.edit.current', { sponsor: guest.sponsor_name || t('guests.noSponsor'), organisation: guest.organisation_name || t('guests.none') })}
        </p>
      }
    >
      <PrincipalPicker id={fieldId('sponsor_id')} kind="user" label={t('guests.edit.sponsor')} onChange={setSponsor} error={fields.errors.sponsor_id} />
      <SelectField
        id={fieldId('organisation_id')}
        label={t('guests.fields.organisation')}
        hint={orgsFailed ? t('guests.invite.organisationsFailed') : undefined}
        value={organisation}
        onChange={(e) => setOrganisation(e.target.value)}
        error={fields.errors.organisation_id}
      >
        {/* The current one stays choosable even when it is not on the first page of the address book. */}
        {guest.organisation_id && !(orgs ?? []).some((o) => o.id === guest.organisation_id) && <option value={guest.organisation_id}>{guest.organisation_name}</option>}
        {/* Empty clears the organisation. */}
        <option value="">{t('guests.invite.noOrganisation')}</option>
        {(orgs ?? []).map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </SelectField>
    </FormDialog>
  );
}
