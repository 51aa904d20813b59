import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Dialog } from '../components/Dialog';
import { TextAreaField } from '../components/Field';
import { errorField } from '../lib/errors';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { applySnapshot, usePollLive } from './live';
import { pollEventsURL, pollHref, type AgendaItem, type Poll, type PollDelegations } from './model';
import { AnnulledNote, PollStateBadge, ruleText, useCommitteesCtx } from './parts';
import { PollDialog } from './PollDialog';
import { ResultView } from './ResultView';
import { VoteForm } from './VoteForm';

/** The live number of ballots cast (never how anyone voted). */
export function LiveCount({ poll, of }: { poll: Pick<Poll, 'state' | 'ballots'>; of?: number }) {
  const { t } = useTranslation();
  return (
    <p className={`app-live-count${poll.state === 'open' ? ' app-live-count--open' : ''}`} data-testid="live-count" data-ballots={poll.ballots}>
      {poll.state === 'open' && <span className="app-live-dot" aria-hidden="true" />}
      <span>
        {of !== undefined ? t('committees.live.countOf', { count: poll.ballots, of }) : t('committees.live.count', { count: poll.ballots })}
        {poll.state === 'open' && <span className="app-live-count__note"> · {t('committees.live.note')}</span>}
      </span>
    </p>
  );
}

/**
 * Annulment of a poll with a reason (the chair's console): the reason is required and
 * kept in the record; the poll then stands as annulled, no decision.
 */
function AnnulDialog({ poll, open, onClose, onDone }: { poll: Poll; open: boolean; onClose: () => void; onDone: (p: Poll) => void }) {
  const { t } = useTranslation();
  const { slug } = useCommitteesCtx();
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<string | undefined>();
  const action = useAction();
  const id = useId();
  const close = () => {
    action.setError(null);
    setFieldError(undefined);
    onClose();
  };
  const submit = async () => {
    if (reason.trim() === '') {
      setFieldError(t('committees.poll.annulReasonRequired'));
      return;
    }
    setFieldError(undefined);
    const res = await action.run(
      () => call(api.POST('/api/v1/t/{tenant}/polls/{id}/annul', { params: { path: { tenant: slug, id: poll.id } }, body: { reason: reason.trim() } })),
      (e) => {
        if (errorField(e) !== 'reason') return false;
        setFieldError(t('committees.poll.annulReasonRequired'));
        return true;
      },
    );
    if (res) {
      onDone(res);
      setReason('');
      close();
    }
  };
  return (
    <Dialog
      open={open}
      title={t('committees.poll.annulTitle', { title: poll.title })}
      onClose={close}
      footer={
        <>
          <Button variant="secondary" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => void submit()} busy={action.busy}>
            {t('committees.poll.annul')}
          </Button>
        </>
      }
    >
      <ErrorAlert error={action.error} />
      <p className="kern-body">{t('committees.poll.annulText')}</p>
      <TextAreaField
        id={`annul-reason-${id}`}
        label={t('committees.poll.annulReason')}
        hint={t('committees.poll.annulReasonHint')}
        rows={3}
        maxLength={2000}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={fieldError}
      />
    </Dialog>
  );
}

/**
 * One poll: its wording, kind and rule, the live count while it runs, the ballot for
 * members, the chair's controls (open, close, publish, annul; for a draft in the console
 * also edit, move and delete) and, once visible, the result. It follows the poll's own
 * stream while it is open, or while `follow` asks for it.
 */
export function PollCard({
  poll: given,
  manage,
  vote = true,
  follow,
  present,
  level = 3,
  link = true,
  heading,
  items,
  onChanged,
  onNotice,
}: {
  poll: Poll;
  manage: boolean;
  vote?: boolean;
  /** Follow the stream in every state but published (the poll page), not only while open. */
  follow?: boolean;
  /** Voters present, for "3 of 6" in the console. */
  present?: number;
  level?: 2 | 3;
  link?: boolean;
  /** A heading instead of the poll's wording (when the page's h1 already says it). */
  heading?: string;
  /** The meeting's accepted items: a draft can be edited, moved among them and deleted (the console). */
  items?: AgendaItem[];
  onChanged?: () => void;
  /** Says what an edit or deletion did (the page's notice). */
  onNotice?: (text: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const { slug } = useCommitteesCtx();
  const [poll, setPoll] = useState(given);
  const [announce, setAnnounce] = useState('');
  const [confirmClose, setConfirmClose] = useState(false);
  const [annulling, setAnnulling] = useState(false);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const drafts = manage && items !== undefined && poll.state === 'draft';
  const action = useAction();
  const headingId = useId();
  const lastState = useRef(given.state);

  // A fresher read from the page replaces ours unless ours is further along.
  useEffect(() => {
    setPoll((cur) => (cur.id === given.id ? applySnapshot(given, { state: cur.state, ballots: cur.ballots }) : given));
  }, [given]);

  // While the poll is open: the caller's delegations in it, and the ballots they cast as proxy.
  const [delegations, setDelegations] = useState<PollDelegations | null>(null);
  const voting = vote && poll.state === 'open';
  useEffect(() => {
    if (!voting) return;
    call(api.GET('/api/v1/t/{tenant}/polls/{id}/delegations', { params: { path: { tenant: slug, id: poll.id } } }))
      .then(setDelegations)
      .catch(() => setDelegations({ delegations: [], proxy_for: [] }));
  }, [slug, poll.id, voting]);

  const followed = poll.state === 'open' || (follow === true && poll.state !== 'published' && poll.state !== 'annulled');
  usePollLive(followed ? pollEventsURL(slug, poll.id) : null, (s) => setPoll((cur) => applySnapshot(cur, s)));

  // A new state (opened, closed, published): read the whole poll again and tell the page.
  useEffect(() => {
    if (poll.state === lastState.current) return;
    lastState.current = poll.state;
    setAnnounce(t(`committees.live.state.${poll.state}`, { title: poll.title }));
    void call(api.GET('/api/v1/t/{tenant}/polls/{id}', { params: { path: { tenant: slug, id: poll.id } } }))
      .then((p) => setPoll((cur) => applySnapshot(p, { state: cur.state, ballots: cur.ballots })))
      .catch(() => undefined);
    onChanged?.();
  }, [poll.state]); // eslint-disable-line react-hooks/exhaustive-deps

  const step = async (to: 'open' | 'close' | 'publish') => {
    const path = { tenant: slug, id: poll.id };
    const res = await action.run(() =>
      to === 'open'
        ? call(api.POST('/api/v1/t/{tenant}/polls/{id}/open', { params: { path } }))
        : to === 'close'
          ? call(api.POST('/api/v1/t/{tenant}/polls/{id}/close', { params: { path } }))
          : call(api.POST('/api/v1/t/{tenant}/polls/{id}/publish', { params: { path } })),
    );
    if (res) setPoll((cur) => applySnapshot(res, { state: cur.state, ballots: cur.ballots }));
    return res;
  };

  const H = level === 2 ? 'h2' : 'h3';
  // A secret poll with too few ballots has no result; an annulled poll has none at all.
  const showResult = !poll.too_few_ballots && (poll.state === 'published' || (manage && poll.state === 'closed'));
  return (
    <article className={`app-poll app-poll--${poll.state}`} aria-labelledby={headingId} data-poll={poll.title} data-state={poll.state}>
      <header className="app-poll__head">
        <H id={headingId} className={level === 2 ? 'kern-heading-medium' : 'kern-heading-small'}>
          {heading ??
            (link ? (
              <Link className="kern-link" to={pollHref(slug, poll.id)}>
                {poll.title}
              </Link>
            ) : (
              poll.title
            ))}
        </H>
        <p className="app-status-line">
          <PollStateBadge state={poll.state} />
          <Badge variant="info">{t(`committees.poll.${poll.kind}`)}</Badge>
          <Badge variant="info">{poll.method === 'choice' ? t('committees.poll.electionSeats', { count: poll.seats }) : t('committees.poll.yesNo')}</Badge>
        </p>
        <p className="kern-body kern-body--small app-muted-line">
          {ruleText(poll.rule, t)}
          {poll.deadline && <> · {t('committees.poll.deadlineAt', { at: formatDateTime(poll.deadline, i18n.language) })}</>}
        </p>
      </header>
      {poll.state !== 'draft' && <LiveCount poll={poll} of={present} />}
      {poll.state === 'draft' && !manage && <p className="kern-body kern-body--muted">{t('committees.poll.draftNote')}</p>}
      {poll.state === 'closed' && !manage && !poll.too_few_ballots && <p className="kern-body">{t('committees.poll.closedNote')}</p>}
      {poll.state === 'closed' && poll.too_few_ballots && (
        <Alert variant="warning" title={t(manage ? 'committees.poll.tooFew' : 'committees.poll.tooFewMember')} />
      )}
      <AnnulledNote poll={poll} />
      {voting && delegations && <VoteForm poll={poll} delegations={delegations} />}
      {manage && (
        <div className="app-actions app-poll__controls">
          {poll.state === 'draft' && (
            <Button onClick={() => void step('open')} busy={action.busy}>
              {t('committees.poll.open')}
              <span className="app-sr-only">: {poll.title}</span>
            </Button>
          )}
          {drafts && (
            <Button variant="secondary" icon="edit" onClick={() => setEditing(true)}>
              {t('committees.poll.edit')}
              <span className="app-sr-only">: {poll.title}</span>
            </Button>
          )}
          {drafts && (
            <Button variant="secondary" onClick={() => setDeleting(true)}>
              {t('committees.poll.delete')}
              <span className="app-sr-only">: {poll.title}</span>
            </Button>
          )}
          {poll.state === 'open' && (
            <Button onClick={() => setConfirmClose(true)}>
              {t('committees.poll.close')}
              <span className="app-sr-only">: {poll.title}</span>
            </Button>
          )}
          {poll.state === 'closed' && !poll.too_few_ballots && (
            <Button onClick={() => void step('publish')} busy={action.busy}>
              {t('committees.poll.publish')}
              <span className="app-sr-only">: {poll.title}</span>
            </Button>
          )}
          {poll.can_annul && (
            <Button variant="secondary" onClick={() => setAnnulling(true)}>
              {t('committees.poll.annul')}
              <span className="app-sr-only">: {poll.title}</span>
            </Button>
          )}
        </div>
      )}
      <ErrorAlert error={action.error} />
      {showResult && <ResultView poll={poll} />}
      <p className="app-sr-only" role="status">
        {announce}
      </p>
      {manage && (
        <AnnulDialog
          poll={poll}
          open={annulling}
          onClose={() => setAnnulling(false)}
          onDone={(res) => setPoll((cur) => applySnapshot(res, { state: cur.state, ballots: cur.ballots }))}
        />
      )}
      {drafts && poll.agenda_item_id && (
        <PollDialog
          open={editing}
          target={{ agendaItemId: poll.agenda_item_id }}
          poll={poll}
          items={items}
          title={t('committees.poll.editTitle', { title: poll.title })}
          onClose={() => setEditing(false)}
          onCreated={(p) => {
            setPoll(p);
            const to = items?.find((i) => i.id === p.agenda_item_id);
            onNotice?.(p.agenda_item_id !== poll.agenda_item_id && to ? t('committees.poll.moved', { title: p.title, number: to.number }) : t('committees.poll.saved', { title: p.title }));
            onChanged?.();
          }}
        />
      )}
      {drafts && (
        <ConfirmDialog
          open={deleting}
          title={t('committees.poll.deleteTitle', { title: poll.title })}
          confirmLabel={t('committees.poll.delete')}
          onClose={() => setDeleting(false)}
          onConfirm={async () => {
            await call(api.DELETE('/api/v1/t/{tenant}/polls/{id}', { params: { path: { tenant: slug, id: poll.id } } }));
            onNotice?.(t('committees.poll.deleted', { title: poll.title }));
            onChanged?.();
          }}
        >
          <p className="kern-body">{t('committees.poll.deleteText')}</p>
        </ConfirmDialog>
      )}
      <ConfirmDialog
        open={confirmClose}
        title={t('committees.poll.closeTitle', { title: poll.title })}
        confirmLabel={t('committees.poll.close')}
        onClose={() => setConfirmClose(false)}
        onConfirm={async () => {
          const path = { tenant: slug, id: poll.id };
          const res = await call(api.POST('/api/v1/t/{tenant}/polls/{id}/close', { params: { path } }));
          setPoll((cur) => applySnapshot(res, { state: cur.state, ballots: cur.ballots }));
        }}
      >
        <p className="kern-body">{t('committees.poll.closeText', { count: poll.ballots })}</p>
      </ConfirmDialog>
    </article>
  );
}
