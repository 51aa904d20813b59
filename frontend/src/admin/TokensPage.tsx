import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, query, type TenantTokenView } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { Pager } from '../components/Pager';
import { ActionCell, Cell, Row, Table } from '../components/Table';
import { formatDate, formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { useCursorPages } from '../lib/useCursorPages';
import type { TenantInfo } from './AdminConsole';

const PAGE_SIZE = 50;

/** The members' personal API tokens (never their secrets), newest first, with revocation. */
export function TokensPage({ tenant }: { tenant: TenantInfo }) {
  const { t, i18n } = useTranslation();
  const [tokens, setTokens] = useState<TenantTokenView[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | undefined>();
  const [revoke, setRevoke] = useState<TenantTokenView | null>(null);
  const [message, setMessage] = useState('');
  const pages = useCursorPages<string>();
  const load = useAction();

  const reload = useCallback(async () => {
    const res = await load.run(() =>
      call(api.GET('/api/v1/t/{tenant}/tokens', { params: { path: { tenant: tenant.slug }, query: query({ cursor: pages.cursor, limit: PAGE_SIZE }) } })),
    );
    if (res) {
      setTokens(res.tokens ?? []);
      setNextCursor(res.next_cursor ?? undefined);
    }
  }, [tenant.slug, pages.cursor]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <>
      <PageHeading title={t('admin.tokens.title')}>{t('admin.tokens.title')}</PageHeading>
      <p className="kern-body" id="admin-tokens-lead">
        {t('admin.tokens.lead')}
      </p>
      {message && <Alert variant="success" title={message} live="status" />}
      <ErrorAlert error={load.error} focus={false} />
      {!tokens && !load.error && <Loading inline />}
      {tokens && (
        <Table
          empty={<p className="kern-body kern-body--muted">{t('admin.tokens.none')}</p>}
          labelledBy="admin-tokens-lead"
          columns={[t('admin.tokens.owner'), t('profile.tokens.name'), t('profile.tokens.scope'), t('profile.tokens.createdAt'), t('profile.tokens.expiresAt'), t('profile.tokens.lastUsed')]}
          actions
        >
          {tokens.map((tok) => (
            <Row key={tok.id} data-testid="tenant-token">
              <Cell>
                {tok.owner_name}
                <br />
                <span className="kern-body--muted">{tok.owner_email}</span>
              </Cell>
              <Cell>{tok.name}</Cell>
              <Cell>{t(`profile.tokens.scopes.${tok.scope}`)}</Cell>
              <Cell>{formatDate(tok.created_at, i18n.language)}</Cell>
              <Cell>{formatDate(tok.expires_at, i18n.language)}</Cell>
              <Cell>{tok.last_used_at ? formatDateTime(tok.last_used_at, i18n.language) : '—'}</Cell>
              <ActionCell>
                <Button variant="secondary" small icon="delete" onClick={() => setRevoke(tok)}>
                  {t('profile.tokens.revoke')}
                  <span className="app-sr-only">
                    : {tok.name} ({tok.owner_email})
                  </span>
                </Button>
              </ActionCell>
            </Row>
          ))}
        </Table>
      )}
      <Pager page={pages.page} hasNext={nextCursor !== undefined} onPrev={pages.prev} onNext={() => pages.next(nextCursor)} label={t('admin.tokens.pager')} />
      <ConfirmDialog
        open={revoke !== null}
        title={t('profile.tokens.revokeTitle')}
        confirmLabel={t('profile.tokens.revoke')}
        onClose={() => setRevoke(null)}
        onConfirm={async () => {
          if (!revoke) return;
          await call(api.DELETE('/api/v1/t/{tenant}/tokens/{id}', { params: { path: { tenant: tenant.slug, id: revoke.id } } }));
          setMessage(t('admin.tokens.revoked', { name: revoke.name, email: revoke.owner_email }));
          await reload();
        }}
      >
        <p className="kern-body">{revoke && t('admin.tokens.revokeText', { name: revoke.name, email: revoke.owner_email })}</p>
      </ConfirmDialog>
    </>
  );
}
