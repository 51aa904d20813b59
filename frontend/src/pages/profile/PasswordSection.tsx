import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../../api/client';
import { Alert, ErrorAlert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { TextField } from '../../components/Field';
import { useAction } from '../../lib/useAction';
import { useFieldErrors } from '../../lib/useFieldErrors';
import { MIN_PASSWORD_LENGTH, newPasswordErrors, requiredError } from '../../lib/validation';

const FIELDS = ['current_password', 'new_password', 'repeat'] as const;

export function PasswordSection() {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, run } = useAction();
  const fields = useFieldErrors(FIELDS, (f) => `pw-${f}`);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    const pw = newPasswordErrors(next, repeat);
    if (fields.check({ current_password: requiredError(current, 'validation.passwordRequired'), new_password: pw.password, repeat: pw.repeat })) return;
    const ok = await run(async () => {
      await call(api.POST('/api/v1/me/password', { body: { current_password: current, new_password: next } }));
      return true;
    }, fields.fromServer);
    if (ok) {
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
    }
  };

  return (
    <section className="app-section" aria-labelledby="profile-password">
      <h2 id="profile-password" className="kern-heading-medium">
        {t('profile.password.title')}
      </h2>
      {done && (
        <Alert variant="success" title={t('profile.password.changed')} live="status">
          <p className="kern-body">{t('profile.password.changedText')}</p>
        </Alert>
      )}
      <ErrorAlert error={error} />
      <form className="app-form" onSubmit={submit} noValidate>
        <TextField id="pw-current_password" label={t('profile.password.current')} type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} error={fields.errors.current_password} required />
        <TextField
          id="pw-new_password"
          label={t('profile.password.new')}
          hint={t('profile.password.hint', { count: MIN_PASSWORD_LENGTH })}
          type="password"
          autoComplete="new-password"
          value={next}
          onChange={(e) => setNext(e.target.value)}
          error={fields.errors.new_password}
          required
        />
        <TextField id="pw-repeat" label={t('profile.password.repeat')} type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} error={fields.errors.repeat} required />
        <div className="app-actions">
          <Button type="submit" busy={busy}>
            {t('profile.password.submit')}
          </Button>
        </div>
      </form>
    </section>
  );
}
