import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call, type SessionView } from '../../api/client';
import { ErrorAlert, Alert } from '../../components/Alert';
import { Badge } from '../../components/Badge';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Loading } from '../../components/Loading';
import { describeUserAgent, formatDateTime } from '../../lib/format';
import { useAction } from '../../lib/useAction';
import { ActionCell, Cell, Row, Table } from '../../components/Table';

export function SessionsSection() {
  const { t, i18n } = useTranslation();
  const [sessions, setSessions] = useState<SessionView[] | null>(null);
  const [revoke, setRevoke] = useState<SessionView | null>(null);
  const [message, setMessage] = useState('');
  const load = useAction();

  const reload = useCallback(async () => {
    const res = await load.run(() => call(api.GET('/api/v1/me/sessions')));
    if (res) setSessions(res.sessions ?? []);
  }, [load.run]); // eslint-disable-line react-hooks/exhaustive-deps

  useEffect(() => {
    void reload();
  }, [reload]);

  const device = (s: SessionView) => {
    const { browser, system } = describeUserAgent(s.user_agent);
    if (browser && system) return t('profile.sessions.deviceOn', { browser, system });
    return browser || system || t('profile.sessions.unknownDevice');
  };

  return (
    <section className="app-section" aria-labelledby="profile-sessions">
      <h2 id="profile-sessions" className="kern-heading-medium">
        {t('profile.sessions.title')}
      </h2>
      <p className="kern-body">{t('profile.sessions.lead')}</p>
      {message && <Alert variant="success" title={message} live="status" />}
      <ErrorAlert error={load.error} focus={false} />
      {!sessions && !load.error && <Loading inline />}
      {sessions && (
        <Table
          labelledBy="profile-sessions"
          columns={[t('profile.sessions.device'), t('profile.sessions.ip'), t('profile.sessions.created'), t('profile.sessions.lastSeen')]}
          actions
        >
          {sessions.map((s) => (
            <Row key={s.id}>
              <Cell>
                {device(s)} {s.current && <Badge variant="info">{t('profile.sessions.current')}</Badge>}
              </Cell>
              <Cell>{s.client_ip}</Cell>
              <Cell>{formatDateTime(s.created_at, i18n.language)}</Cell>
              <Cell>{formatDateTime(s.last_seen_at, i18n.language)}</Cell>
              <ActionCell>
                {!s.current && (
                  <Button variant="secondary" small onClick={() => setRevoke(s)}>
                    {t('profile.sessions.revoke')}
                    <span className="app-sr-only">
                      {': '}
                      {device(s)}, {formatDateTime(s.created_at, i18n.language)}
                    </span>
                  </Button>
                )}
              </ActionCell>
            </Row>
          ))}
        </Table>
      )}
      <ConfirmDialog
        open={revoke !== null}
        title={t('profile.sessions.revokeTitle')}
        confirmLabel={t('profile.sessions.revoke')}
        onClose={() => setRevoke(null)}
        onConfirm={async () => {
          if (!revoke) return;
          await call(api.DELETE('/api/v1/me/sessions/{id}', { params: { path: { id: revoke.id } } }));
          setMessage(t('profile.sessions.revoked'));
          await reload();
        }}
      >
        <p className="kern-body">{revoke && t('profile.sessions.revokeText', { device: device(revoke), ip: revoke.client_ip })}</p>
      </ConfirmDialog>
    </section>
  );
}
