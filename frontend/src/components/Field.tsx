import type { InputHTMLAttributes, ReactNode, Ref, SelectHTMLAttributes, TextareaHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

interface Common {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  /** An already translated message; shown, linked to the control and marking it invalid. */
  error?: string;
  optional?: boolean;
}

function describedBy(id: string, hint: unknown, error: unknown, extra?: string): string | undefined {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : '', extra ?? ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Label({ id, label, optional }: Pick<Common, 'id' | 'label' | 'optional'>) {
  const { t } = useTranslation();
  return (
    <label className="kern-label" htmlFor={id}>
      {label}
      {optional && <span className="kern-label__optional"> ({t('common.optional')})</span>}
    </label>
  );
}

function Hint({ id, hint }: { id: string; hint: ReactNode }) {
  return hint ? (
    <div className="kern-hint" id={`${id}-hint`}>
      {hint}
    </div>
  ) : null;
}

export function FieldError({ id, error }: { id: string; error?: string }) {
  if (!error) return null;
  return (
    <p className="kern-error" id={`${id}-error`}>
      <span className="kern-icon kern-icon--danger kern-icon--default" aria-hidden="true" />
      <span className="kern-body">{error}</span>
    </p>
  );
}

type TextFieldProps = Common & Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> & { ref?: Ref<HTMLInputElement> };

/** A labelled text input in the KERN style, with hint and error wired for assistive technology. */
export function TextField({ id, label, hint, error, optional, className, ref, ...rest }: TextFieldProps) {
  return (
    <div className={`kern-form-input${error ? ' kern-form-input--error' : ''}${className ? ` ${className}` : ''}`}>
      <Label id={id} label={label} optional={optional} />
      <Hint id={id} hint={hint} />
      <FieldError id={id} error={error} />
      <input
        ref={ref}
        id={id}
        className={`kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`}
        aria-describedby={describedBy(id, hint, error, rest['aria-describedby'])}
        aria-invalid={error ? true : undefined}
        {...rest}
      />
    </div>
  );
}

type TextAreaFieldProps = Common & Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> & { ref?: Ref<HTMLTextAreaElement> };

/** A labelled multi-line text input in the KERN style. */
export function TextAreaField({ id, label, hint, error, optional, className, ref, ...rest }: TextAreaFieldProps) {
  return (
    <div className={`kern-form-input${error ? ' kern-form-input--error' : ''}${className ? ` ${className}` : ''}`}>
      <Label id={id} label={label} optional={optional} />
      <Hint id={id} hint={hint} />
      <FieldError id={id} error={error} />
      <textarea
        ref={ref}
        id={id}
        className={`kern-form-input__input${error ? ' kern-form-input__input--error' : ''}`}
        aria-describedby={describedBy(id, hint, error)}
        aria-invalid={error ? true : undefined}
        {...rest}
      />
    </div>
  );
}

type SelectFieldProps = Common & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'id'> & { ref?: Ref<HTMLSelectElement> };

/** A labelled select in the KERN style. */
export function SelectField({ id, label, hint, error, optional, className, children, ref, ...rest }: SelectFieldProps) {
  return (
    <div className={`kern-form-input${error ? ' kern-form-input--error' : ''}${className ? ` ${className}` : ''}`}>
      <Label id={id} label={label} optional={optional} />
      <Hint id={id} hint={hint} />
      <FieldError id={id} error={error} />
      <div className="kern-form-input__select-wrapper">
        <select
          ref={ref}
          id={id}
          className={`kern-form-input__select${error ? ' kern-form-input__select--error' : ''}`}
          aria-describedby={describedBy(id, hint, error)}
          aria-invalid={error ? true : undefined}
          {...rest}
        >
          {children}
        </select>
      </div>
    </div>
  );
}

type CheckboxProps = { id: string; label: ReactNode; hint?: ReactNode } & Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'type'>;

export function Checkbox({ id, label, hint, ...rest }: CheckboxProps) {
  return (
    <div className="kern-form-check">
      <input id={id} type="checkbox" className="kern-form-check__checkbox" aria-describedby={hint ? `${id}-hint` : undefined} {...rest} />
      <label className="kern-label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <div className="kern-hint" id={`${id}-hint`}>
          {hint}
        </div>
      )}
    </div>
  );
}
