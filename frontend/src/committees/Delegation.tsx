// Proxy voting on the meeting page: a voting member hands their vote for the meeting to a
// fellow voting member (where the committee's rules allow it), sees the standing
// delegation and can take it back; a proxy sees whose votes they cast.
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Dialog } from '../components/Dialog';
import { SelectField } from '../components/Field';
import { useMemberName } from '../documents/parts';
import { useAction } from '../lib/useAction';
import { canDelegate, delegationOf, delegationsTo, proxyCandidates, type Committee, type Delegation, type Meeting, type Seat } from './model';
import { useCommitteesCtx } from './parts';

/** `refresh` changes when the delegations may have changed elsewhere (read them again). */
export function DelegationPanel({ meeting, committee, refresh = 0 }: { meeting: Meeting; committee: Committee; refresh?: number }) {
  const { t } = useTranslation();
  const { slug, membershipId } = useCommitteesCtx();
  const name = useMemberName();
  const [seats, setSeats] = useState<Seat[]>([]);
  const [delegations, setDelegations] = useState<Delegation[] | null>(null);
  const [version, setVersion] = useState(0);
  const [picking, setPicking] = useState(false);
  const [revoking, setRevoking] = useState(false);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    if (!committee.proxy_allowed) return;
    call(api.GET('/api/v1/t/{tenant}/committees/{id}/members', { params: { path: { tenant: slug, id: committee.id } } }))
      .then((r) => setSeats(r.members))
      .catch(setError);
  }, [slug, committee.id, committee.proxy_allowed]);

  useEffect(() => {
    if (!committee.proxy_allowed) return;
    call(api.GET('/api/v1/t/{tenant}/meetings/{id}/delegations', { params: { path: { tenant: slug, id: meeting.id } } }))
      .then((r) => setDelegations(r.delegations))
      .catch(setError);
  }, [slug, meeting.id, committee.proxy_allowed, version, refresh]);

  if (!committee.proxy_allowed || delegations === null) return null;
  const mine = delegationOf(delegations, membershipId, meeting.id);
  const represented = delegationsTo(delegations, membershipId, meeting.id);
  const may = canDelegate(committee, meeting, seats, membershipId);
  if (!mine && represented.length === 0 && !may) return null;
  const candidates = proxyCandidates(seats, membershipId).sort((a, b) => name(a.membership_id).localeCompare(name(b.membership_id)));

  return (
    <section className="app-section app-delegation" aria-labelledby="meeting-delegation" data-testid="delegation">
      <h2 id="meeting-delegation" className="kern-heading-medium">
        {t('committees.delegation.title')}
      </h2>
      {notice && <Alert variant="success" title={notice} live="status" />}
      <ErrorAlert error={error} />
      {mine ? (
        <Alert variant="info" title={t('committees.delegation.standing', { name: name(mine.to_membership_id) })}>
          <p className="kern-body">{t('committees.delegation.standingText')}</p>
        </Alert>
      ) : (
        may && represented.length === 0 && <p className="kern-body">{t('committees.delegation.lead')}</p>
      )}
      {represented.length > 0 && (
        <Alert variant="info" title={t('committees.delegation.proxyFor', { names: represented.map((d) => name(d.from_membership_id)).join(', ') })}>
          <p className="kern-body">{t('committees.delegation.proxyForText')}</p>
        </Alert>
      )}
      <div className="app-actions">
        {mine && meeting.state !== 'closed' && meeting.state !== 'minutes_approved' && (
          <Button variant="secondary" onClick={() => setRevoking(true)}>
            {t('committees.delegation.revoke')}
          </Button>
        )}
        {!mine && may && represented.length === 0 && (
          <Button variant="secondary" onClick={() => setPicking(true)}>
            {t('committees.delegation.transfer')}
          </Button>
        )}
      </div>
      <TransferDialog
        open={picking}
        candidates={candidates}
        onClose={() => setPicking(false)}
        onSubmit={async (to) => {
          await call(api.POST('/api/v1/t/{tenant}/delegations', { params: { path: { tenant: slug } }, body: { meeting_id: meeting.id, to_membership_id: to } }));
          setError(null);
          setNotice(t('committees.delegation.done', { name: name(to) }));
          setVersion((v) => v + 1);
        }}
      />
      {mine && (
        <ConfirmDialog
          open={revoking}
          title={t('committees.delegation.revokeTitle')}
          confirmLabel={t('committees.delegation.revoke')}
          onClose={() => setRevoking(false)}
          onConfirm={async () => {
            await call(api.DELETE('/api/v1/t/{tenant}/delegations/{id}', { params: { path: { tenant: slug, id: mine.id } } }));
            setError(null);
            setNotice(t('committees.delegation.revoked'));
            setVersion((v) => v + 1);
          }}
        >
          <p className="kern-body">{t('committees.delegation.revokeText', { name: name(mine.to_membership_id) })}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** Picks the proxy among the committee's voting members and confirms the transfer. */
function TransferDialog({ open, candidates, onClose, onSubmit }: { open: boolean; candidates: Seat[]; onClose: () => void; onSubmit: (to: string) => Promise<unknown> }) {
  const { t } = useTranslation();
  const name = useMemberName();
  const [to, setTo] = useState('');
  const [missing, setMissing] = useState(false);
  const action = useAction();

  useEffect(() => {
    if (!open) return;
    setTo('');
    setMissing(false);
    action.setError(null);
  }, [open]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!to) {
      setMissing(true);
      document.getElementById('delegation-proxy')?.focus();
      return;
    }
    const ok = await action.run(async () => {
      await onSubmit(to);
      return true;
    });
    if (ok) onClose();
  };

  return (
    <Dialog open={open} title={t('committees.delegation.dialogTitle')} onClose={onClose}>
      <ErrorAlert error={action.error} />
      {candidates.length === 0 ? (
        <p className="kern-body">{t('committees.delegation.noCandidates')}</p>
      ) : (
        <form className="app-form" onSubmit={submit} noValidate>
          <SelectField
            id="delegation-proxy"
            label={t('committees.delegation.proxy')}
            hint={t('committees.delegation.proxyHint')}
            value={to}
            error={missing ? t('committees.delegation.proxyRequired') : undefined}
            onChange={(e) => {
              setTo(e.target.value);
              setMissing(false);
            }}
          >
            <option value="">{t('committees.delegation.choose')}</option>
            {candidates.map((s) => (
              <option key={s.membership_id} value={s.membership_id}>
                {name(s.membership_id)}
              </option>
            ))}
          </SelectField>
          {to && <p className="kern-body">{t('committees.delegation.confirmText', { name: name(to) })}</p>}
          <div className="app-actions">
            <Button type="submit" busy={action.busy}>
              {t('committees.delegation.confirm')}
            </Button>
            <Button variant="secondary" onClick={onClose}>
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
