import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { SelectField, TextField } from '../components/Field';
import { FormDialog } from '../components/FormDialog';
import { GUEST_ROLES, type GuestInviteBody, type GuestRole } from '../guests/api';
import { accessBounds, accessDayError, MAX_ACCESS_YEARS } from '../guests/model';
import { useFieldErrors } from '../lib/useFieldErrors';
import { emailError } from '../lib/validation';
import { formatDay } from './model';

const FIELDS = ['email', 'role', 'organisation_id', 'expires_on'] as const;
const fieldId = (f: (typeof FIELDS)[number]) => `guest-invite-${f.replace('_', '-')}`;

/** Organisations offered in the select (the address book's largest page). */
export const ORGANISATION_LIMIT = 200;

interface Org {
  id: string;
  name: string;
}

/**
 * Invites a guest into a workspace: address, role (member or reader), for staff the
 * organisation from the address book (optional), and the last day of access (today + 180
 * days unless changed; at most two years). What the server did (mail sent, or an active
 * guest added) is the caller's to say.
 */
export function GuestInviteDialog<T>({
  open,
  slug,
  workspaceName,
  withOrganisations,
  onClose,
  onSubmit,
  onDone,
}: {
  open: boolean;
  slug: string;
  workspaceName: string;
  /** Whether the caller may read the address book (staff and administrators). */
  withOrganisations: boolean;
  onClose: () => void;
  onSubmit: (body: GuestInviteBody) => Promise<T>;
  onDone: (result: T) => void;
}) {
  const { t, i18n } = useTranslation();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<GuestRole>('member');
  const [organisation, setOrganisation] = useState('');
  const [orgs, setOrgs] = useState<{ list: Org[]; more: boolean } | null>(null);
  const [orgsFailed, setOrgsFailed] = useState(false);
  const [bounds, setBounds] = useState(() => accessBounds());
  const [until, setUntil] = useState(bounds.initial);
  const fields = useFieldErrors(FIELDS, fieldId);

  const loadOrganisations = () => {
    if (!withOrganisations || orgs) return;
    setOrgsFailed(false);
    call(api.GET('/api/v1/t/{tenant}/organisations', { params: { path: { tenant: slug }, query: { limit: ORGANISATION_LIMIT } } })).then(
      (res) => setOrgs({ list: res.organisations.map((o) => ({ id: o.id, name: o.name })), more: Boolean(res.next_cursor) }),
      () => setOrgsFailed(true),
    );
  };

  return (
    <FormDialog
      open={open}
      title={t('guests.invite.title', { name: workspaceName })}
      onClose={onClose}
      onOpen={() => {
        const b = accessBounds();
        setBounds(b);
        setEmail('');
        setRole('member');
        setOrganisation('');
        setUntil(b.initial);
        loadOrganisations();
      }}
      fields={fields}
      validate={() => ({ email: emailError(email), expires_on: accessDayError(until) })}
      onSubmit={() => {
        const body: GuestInviteBody = { email: email.trim(), role, expires_on: until };
        if (organisation) body.organisation_id = organisation;
        return onSubmit(body);
      }}
      onDone={onDone}
      submitLabel={t('guests.invite.submit')}
      intro={<p className="kern-body">{t('guests.invite.intro')}</p>}
    >
      <TextField
        id={fieldId('email')}
        type="email"
        label={t('guests.fields.email')}
        autoComplete="off"
        maxLength={254}
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        error={fields.errors.email}
        required
      />
      <SelectField id={fieldId('role')} label={t('guests.fields.role')} hint={t('guests.invite.roleHint')} value={role} onChange={(e) => setRole(e.target.value as GuestRole)} error={fields.errors.role}>
        {GUEST_ROLES.map((r) => (
          <option key={r} value={r}>
            {t(`workspaces.role.${r}`)}
          </option>
        ))}
      </SelectField>
      {withOrganisations && (
        <SelectField
          id={fieldId('organisation_id')}
          label={t('guests.fields.organisation')}
          optional
          hint={orgsFailed ? t('guests.invite.organisationsFailed') : orgs?.more ? t('guests.invite.organisationsMore', { count: ORGANISATION_LIMIT }) : t('guests.invite.organisationHint')}
          value={organisation}
          onChange={(e) => setOrganisation(e.target.value)}
          error={fields.errors.organisation_id}
        >
          <option value="">{t('guests.invite.noOrganisation')}</option>
          {(orgs?.list ?? []).map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}
            </option>
          ))}
        </SelectField>
      )}
      <TextField
        id={fieldId('expires_on')}
        type="date"
        label={t('guests.fields.until')}
        hint={t('guests.invite.untilHint', { max: formatDay(bounds.max, i18n.language), years: MAX_ACCESS_YEARS })}
        min={bounds.min}
        max={bounds.max}
        value={until}
        onChange={(e) => setUntil(e.target.value)}
        error={fields.errors.expires_on}
        required
      />
    </FormDialog>
  );
}
