import type { ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from './Field';

type CodeFieldProps = {
  id: string;
  value: string;
  onChange: (e: ChangeEvent<HTMLInputElement>) => void;
  error?: string;
  /** Label and hint when not the sign-in's ("Code aus der Authenticator-App"). */
  label?: string;
  hint?: string;
  autoFocus?: boolean;
};

/** The input of a 6-digit TOTP code: sign-in, re-authentication, enrolment. */
export function TotpCodeField({ label, hint, ...rest }: CodeFieldProps) {
  const { t } = useTranslation();
  return (
    <TextField
      label={label ?? t('secondFactor.code')}
      hint={hint ?? t('secondFactor.codeHint')}
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={7}
      className="app-field--code"
      required
      {...rest}
    />
  );
}

/** The input of a one-time recovery code: sign-in, re-authentication. */
export function RecoveryCodeField(props: Omit<CodeFieldProps, 'label' | 'hint'>) {
  const { t } = useTranslation();
  return (
    <TextField
      label={t('secondFactor.recovery')}
      hint={t('secondFactor.recoveryHint')}
      autoComplete="off"
      spellCheck={false}
      required
      {...props}
    />
  );
}
