import type { TFunction } from 'i18next';

/** i18n key of an audit action: dots would be read as nesting, so they become underscores. */
export function actionLabel(action: string, t: TFunction): string {
  return t(`audit.actions.${action.replaceAll('.', '_')}`, { defaultValue: action });
}

/** The audit actions the platform writes today, for the filter (prefixes end in a dot). */
export const AUDIT_ACTIONS = [
  'auth.',
  'auth.login.succeeded',
  'auth.login.failed',
  'auth.second_factor.failed',
  'auth.account.locked',
  'auth.account.braked',
  'auth.logout',
  'auth.password.changed',
  'auth.totp.enabled',
  'auth.totp.reset',
  'auth.recovery_code.used',
  'auth.recovery_codes.regenerated',
  'auth.api_token.created',
  'auth.api_token.revoked',
  'auth.reauthenticated',
  'tenant.',
  'tenant.created',
  'tenant.policy.changed',
  'tenant.member.invited',
  'tenant.invitation.resent',
  'tenant.invitation.revoked',
  'tenant.invitation.accepted',
  'tenant.member.added',
  'tenant.member.role_changed',
  'tenant.member.deactivated',
  'tenant.member.reactivated',
  'tenant.group.created',
  'tenant.group.deleted',
  'tenant.group.member_added',
  'tenant.group.member_removed',
] as const;
