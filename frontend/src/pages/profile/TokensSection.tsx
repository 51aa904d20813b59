import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, TOKEN_SCOPES, type TokenScope, type TokenView } from '../../api/client';
import { useMe } from '../../auth/session';
import { Alert, ErrorAlert } from '../../components/Alert';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CopyButton } from '../../components/CopyButton';
import { SelectField, TextField } from '../../components/Field';
import { Loading } from '../../components/Loading';
import { DEFAULT_TOKEN_LIFETIME, formatDate, formatDateTime, TOKEN_LIFETIMES, tokenExpiry, type TokenLifetime } from '../../lib/format';
import { useAction } from '../../lib/useAction';
import { useFieldErrors } from '../../lib/useFieldErrors';
import { requiredError } from '../../lib/validation';
import { ActionCell, Cell, Row, Table } from '../../components/Table';

const FIELDS = ['name', 'scope', 'expires_at'] as const;
const FIELD_IDS = { name: 'token-name', scope: 'token-scope', expires_at: 'token-lifetime' } as const;

export function TokensSection() {
  const { t, i18n } = useTranslation();
  const me = useMe();
  // The admin scope is only for people who administer a tenant.
  const scopes = TOKEN_SCOPES.filter((s) => s !== 'admin' || (me.tenants ?? []).some((x) => x.role === 'admin' && x.status === 'active'));
  const [tokens, setTokens] = useState<TokenView[] | null>(null);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<TokenScope>('read');
  const [lifetime, setLifetime] = useState<TokenLifetime>(DEFAULT_TOKEN_LIFETIME);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [revoke, setRevoke] = useState<TokenView | null>(null);
  const [message, setMessage] = useState('');
  const load = useAction();
  const create = useAction();
  const fields = useFieldErrors(FIELDS, (f) => FIELD_IDS[f]);

  const reload = useCallback(async () => {
    const res = await load.run(() => call(api.GET('/api/v1/me/tokens')));
    if (res) setTokens(res.tokens ?? []);
  }, [load.run]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void reload();
  }, [reload]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMessage('');
    if (fields.check({ name: requiredError(name, 'validation.tokenNameRequired') })) return;
    const res = await create.run(
      () => call(api.POST('/api/v1/me/tokens', { body: { name: name.trim(), scope, expires_at: tokenExpiry(lifetime) } })),
      fields.fromServer,
    );
    if (res) {
      setCreated({ name: res.name, token: res.token });
      setName('');
      setScope('read');
      await reload();
      setTimeout(() => document.getElementById('token-created')?.focus(), 0);
    }
  };

  return (
    <section className="app-section" aria-labelledby="profile-tokens">
      <h2 id="profile-tokens" className="kern-heading-medium">
        {t('profile.tokens.title')}
      </h2>
      <p className="kern-body">
        {t('profile.tokens.lead')} {t('profile.tokens.nameHint')}
      </p>
      {created && (
        <div id="token-created" tabIndex={-1} className="app-focus-target">
          <Alert variant="success" title={t('profile.tokens.created', { name: created.name })} live="status">
            <p className="kern-body">{t('profile.tokens.onceText')}</p>
            <TextField id="token-value" label={t('profile.tokens.value')} value={created.token} readOnly className="app-field--mono" onFocus={(e) => e.currentTarget.select()} />
            <CopyButton text={created.token} label={t('profile.tokens.copy')} />
          </Alert>
        </div>
      )}
      {message && <Alert variant="success" title={message} live="status" />}
      <ErrorAlert error={create.error} />
      <form className="app-form app-form--inline" onSubmit={submit} noValidate>
        <TextField id="token-name" label={t('profile.tokens.name')} maxLength={100} value={name} onChange={(e) => setName(e.target.value)} error={fields.errors.name} required />
        <SelectField id="token-scope" label={t('profile.tokens.scope')} hint={t(`profile.tokens.scopeHint.${scope}`)} value={scope} onChange={(e) => setScope(e.target.value as TokenScope)} error={fields.errors.scope}>
          {scopes.map((s) => (
            <option key={s} value={s}>
              {t(`profile.tokens.scopes.${s}`)}
            </option>
          ))}
        </SelectField>
        <SelectField id="token-lifetime" label={t('profile.tokens.lifetime')} value={lifetime} onChange={(e) => setLifetime(e.target.value as TokenLifetime)} error={fields.errors.expires_at}>
          {TOKEN_LIFETIMES.map((l) => (
            <option key={l} value={l}>
              {l === '365' ? t('profile.tokens.oneYear') : t('profile.tokens.days', { count: Number(l) })}
            </option>
          ))}
        </SelectField>
        <div className="app-actions">
          <Button type="submit" icon="add" busy={create.busy}>
            {t('profile.tokens.create')}
          </Button>
        </div>
      </form>
      <ErrorAlert error={load.error} focus={false} />
      {!tokens && !load.error && <Loading inline />}
      {tokens && (
        <Table
          empty={<p className="kern-body kern-body--muted">{t('profile.tokens.none')}</p>}
          labelledBy="profile-tokens"
          columns={[t('profile.tokens.name'), t('profile.tokens.scope'), t('profile.tokens.createdAt'), t('profile.tokens.expiresAt'), t('profile.tokens.lastUsed')]}
          actions
        >
          {tokens.map((tok) => (
            <Row key={tok.id}>
              <Cell>{tok.name}</Cell>
              <Cell>{t(`profile.tokens.scopes.${tok.scope}`)}</Cell>
              <Cell>{formatDate(tok.created_at, i18n.language)}</Cell>
              <Cell>{formatDate(tok.expires_at, i18n.language)}</Cell>
              <Cell>{tok.last_used_at ? formatDateTime(tok.last_used_at, i18n.language) : '—'}</Cell>
              <ActionCell>
                <Button variant="secondary" small icon="delete" onClick={() => setRevoke(tok)}>
                  {t('profile.tokens.revoke')}
                  <span className="app-sr-only">: {tok.name}</span>
                </Button>
              </ActionCell>
            </Row>
          ))}
        </Table>
      )}
      <ConfirmDialog
        open={revoke !== null}
        title={t('profile.tokens.revokeTitle')}
        confirmLabel={t('profile.tokens.revoke')}
        onClose={() => setRevoke(null)}
        onConfirm={async () => {
          if (!revoke) return;
          await call(api.DELETE('/api/v1/me/tokens/{id}', { params: { path: { id: revoke.id } } }));
          setMessage(t('profile.tokens.revoked', { name: revoke.name }));
          setCreated(null);
          await reload();
        }}
      >
        <p className="kern-body">{revoke && t('profile.tokens.revokeText', { name: revoke.name })}</p>
      </ConfirmDialog>
    </section>
  );
}
