import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { isApiError } from '../api/problem';
import { Alert, ErrorAlert } from '../components/Alert';
import { Button } from '../components/Button';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { useMemberName } from '../documents/parts';
import { CHOICES, delegationOf, toggleOption, type Choice, type Poll, type PollDelegations, type Receipt } from './model';
import { useCommitteesCtx } from './parts';

/** What the browser keeps of a cast ballot for this tab: that it was cast, never how. */
interface KeptReceipt {
  id: string;
  cast_at: string;
}

const receiptKey = (pollId: string, membershipId: string) => `kollab.receipt:${pollId}:${membershipId}`;

export function keptReceipt(pollId: string, membershipId: string): KeptReceipt | null {
  try {
    const raw = sessionStorage.getItem(receiptKey(pollId, membershipId));
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<KeptReceipt>;
    return typeof v.id === 'string' && typeof v.cast_at === 'string' ? { id: v.id, cast_at: v.cast_at } : null;
  } catch {
    return null;
  }
}

function keepReceipt(pollId: string, membershipId: string, r: KeptReceipt) {
  try {
    sessionStorage.setItem(receiptKey(pollId, membershipId), JSON.stringify(r));
  } catch {
    /* storage blocked: the receipt is shown until the page is left */
  }
}

type Ballot = { choice: Choice } | { options: string[] };
type Step = { kind: 'choose' } | { kind: 'confirm'; ballot: Ballot } | { kind: 'done'; receipt: KeptReceipt } | { kind: 'already' };

/**
 * The member's voting view: their own ballot, or, when they handed their vote to a proxy,
 * who casts it; and, for a proxy, one more ballot per member whose vote they cast
 * (`delegations`, as the poll's delegations read answers).
 */
export function VoteForm({ poll, onCast, delegations }: { poll: Poll; onCast?: () => void; delegations?: PollDelegations | null }) {
  const { t } = useTranslation();
  const { membershipId } = useCommitteesCtx();
  const name = useMemberName();
  const mine = delegations ? delegationOf(delegations.delegations, membershipId) : undefined;
  const keptOwn = membershipId ? keptReceipt(poll.id, membershipId) : null;
  return (
    <>
      {mine && !keptOwn ? (
        <div className="app-vote" data-testid="vote-delegated">
          <Alert variant="info" title={t('committees.delegation.delegatedTitle', { name: name(mine.to_membership_id) })}>
            <p className="kern-body">{poll.voted ? t('committees.delegation.delegatedVoted', { name: name(mine.to_membership_id) }) : t('committees.delegation.delegatedText')}</p>
          </Alert>
        </div>
      ) : poll.can_vote || keptOwn ? (
        <Ballot poll={poll} onCast={onCast} />
      ) : (
        <p className="kern-body" data-testid="vote-no-seat" data-bar={poll.vote_bar ?? 'no_seat'}>
          {t(poll.vote_bar === 'conflict' ? 'committees.vote.conflict' : poll.vote_bar === 'no_voting_right' ? 'committees.vote.noRight' : 'committees.vote.noSeat')}
        </p>
      )}
      {(delegations?.proxy_for ?? []).map((p) => (
        <Ballot key={p.membership_id} poll={poll} onCast={onCast} voter={{ id: p.membership_id, name: name(p.membership_id), voted: p.voted }} />
      ))}
    </>
  );
}

/** A member whose ballot the caller casts as proxy. */
interface ProxyVoter {
  id: string;
  name: string;
  /** Whether their ballot is in already. */
  voted: boolean;
}

/**
 * One ballot, the caller's own or (with `voter`) one they cast as proxy: large buttons
 * (Ja / Nein / Enthaltung) or the options of an election (up to the number of seats), a
 * confirmation step, then the receipt. A second ballot is refused by the server (409):
 * the form then says the vote was already cast.
 */
function Ballot({ poll, onCast, voter }: { poll: Poll; onCast?: () => void; voter?: ProxyVoter }) {
  const { t, i18n } = useTranslation();
  const { slug, membershipId } = useCommitteesCtx();
  const who = voter ? voter.id : membershipId;
  const headingId = useId();
  const proxyClass = voter ? ' app-vote--proxy' : '';
  const [step, setStep] = useState<Step>(() => {
    const kept = who ? keptReceipt(poll.id, who) : null;
    if (kept) return { kind: 'done', receipt: kept };
    // The server knows whether this ballot is in (another device, an earlier visit).
    return (voter ? voter.voted : poll.voted) ? { kind: 'already' } : { kind: 'choose' };
  });
  const [chosen, setChosen] = useState<string[]>([]);
  const cast = useAction();
  const focusRef = useRef<HTMLDivElement>(null);
  const first = useRef(true);

  useEffect(() => {
    if (step.kind !== 'choose' || !who) return;
    const kept = keptReceipt(poll.id, who);
    if (kept) setStep({ kind: 'done', receipt: kept });
  }, [who]); // eslint-disable-line react-hooks/exhaustive-deps

  // Each new step takes focus, so that it is read out (not on the first render).
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    focusRef.current?.focus();
  }, [step.kind]);

  const options = [...poll.options].sort((a, b) => a.position - b.position);
  const label = (b: Ballot) =>
    'choice' in b ? t(`committees.vote.${b.choice}`) : b.options.map((id) => options.find((o) => o.id === id)?.label ?? '').join(', ');

  const submit = async (b: Ballot) => {
    const body = {
      ...('choice' in b ? { choice: b.choice } : { choice: 'options' as const, option_ids: b.options }),
      ...(voter ? { voter_membership_id: voter.id } : {}),
    };
    let conflict: unknown = null;
    const res = await cast.run(
      () => call(api.POST('/api/v1/t/{tenant}/polls/{id}/ballots', { params: { path: { tenant: slug, id: poll.id } }, body })),
      (e) => {
        if (isApiError(e) && e.status === 409) {
          conflict = e;
          return true;
        }
        return false;
      },
    );
    if (conflict) {
      // 409: either this voter's ballot is in already (another tab, an earlier visit) or
      // the poll closed meanwhile. The poll tells which.
      const path = { tenant: slug, id: poll.id };
      const voted = voter
        ? await call(api.GET('/api/v1/t/{tenant}/polls/{id}/delegations', { params: { path } }))
            .then((d) => d.proxy_for.some((p) => p.membership_id === voter.id && p.voted))
            .catch(() => false)
        : await call(api.GET('/api/v1/t/{tenant}/polls/{id}', { params: { path } }))
            .then((p) => p.voted)
            .catch(() => false);
      if (voted) setStep({ kind: 'already' });
      else {
        cast.setError(conflict);
        onCast?.();
      }
      return;
    }
    if (res) {
      const r: Receipt = res;
      const kept = { id: r.id, cast_at: r.cast_at };
      keepReceipt(poll.id, r.voter_membership_id, kept);
      setStep({ kind: 'done', receipt: kept });
      onCast?.();
    }
  };

  if (step.kind === 'done') {
    return (
      <div ref={focusRef} tabIndex={-1} className={`app-focus-target app-vote${proxyClass}`} data-proxy-for={voter?.name} data-testid="vote-receipt">
        <Alert variant="success" title={voter ? t('committees.delegation.countedFor', { name: voter.name }) : t('committees.vote.counted')} live="status">
          <p className="kern-body">{t('committees.vote.countedAt', { at: formatDateTime(step.receipt.cast_at, i18n.language) })}</p>
          <p className="kern-body">{poll.kind === 'secret' ? t('committees.vote.secretNote') : t('committees.vote.namedNote')}</p>
          <p className="kern-body kern-body--small">
            {t('committees.vote.receiptNo')}: <code>{step.receipt.id.slice(-12)}</code>
          </p>
        </Alert>
      </div>
    );
  }
  if (step.kind === 'already') {
    return (
      <div ref={focusRef} tabIndex={-1} className={`app-focus-target app-vote${proxyClass}`} data-proxy-for={voter?.name} data-testid="vote-already">
        <Alert variant="info" title={voter ? t('committees.delegation.alreadyFor', { name: voter.name }) : t('committees.vote.alreadyTitle')} live="status">
          <p className="kern-body">{voter ? t('committees.delegation.alreadyForText') : t('committees.vote.alreadyText')}</p>
        </Alert>
      </div>
    );
  }
  if (poll.state !== 'open') return null;

  if (step.kind === 'confirm') {
    return (
      <div ref={focusRef} tabIndex={-1} className={`app-focus-target app-vote app-vote--confirm${proxyClass}`} data-proxy-for={voter?.name} role="group" aria-labelledby={headingId}>
        <h3 id={headingId} className="kern-heading-small">
          {voter ? t('committees.delegation.confirmFor', { name: voter.name }) : t('committees.vote.confirmTitle')}
        </h3>
        <p className="kern-body kern-body--large app-vote__summary">
          {'choice' in step.ballot && step.ballot.choice === 'abstain' ? t('committees.vote.confirmAbstain') : t('committees.vote.confirmText', { choice: label(step.ballot) })}
        </p>
        <p className="kern-body">{t('committees.vote.confirmHint')}</p>
        <ErrorAlert error={cast.error} />
        <div className="app-vote__actions">
          <Button className="app-vote__button" onClick={() => void submit(step.ballot)} busy={cast.busy}>
            {t('committees.vote.castNow')}
          </Button>
          <Button className="app-vote__button" variant="secondary" onClick={() => setStep({ kind: 'choose' })}>
            {t('committees.vote.change')}
          </Button>
        </div>
      </div>
    );
  }

  if (poll.method === 'yes_no_abstain') {
    return (
      <div className={`app-vote${proxyClass}`} data-proxy-for={voter?.name} role="group" aria-labelledby={headingId}>
        <h3 id={headingId} className="kern-heading-small">
          {voter ? t('committees.delegation.castFor', { name: voter.name }) : t('committees.vote.yourVote')}
        </h3>
        <div className="app-vote__choices">
          {CHOICES.map((c) => (
            <button key={c} type="button" className={`kern-btn kern-btn--secondary app-vote__choice app-vote__choice--${c}`} onClick={() => setStep({ kind: 'confirm', ballot: { choice: c } })}>
              <span className="kern-label">{t(`committees.vote.${c}`)}</span>
            </button>
          ))}
        </div>
      </div>
    );
  }

  const full = chosen.length >= poll.seats;
  return (
    <fieldset className={`kern-fieldset app-vote${proxyClass}`} data-proxy-for={voter?.name} aria-describedby={`${headingId}-hint`}>
      <legend className="kern-heading-small">{voter ? t('committees.delegation.castFor', { name: voter.name }) : t('committees.vote.yourVote')}</legend>
      <p className="kern-hint" id={`${headingId}-hint`}>
        {t('committees.vote.chooseUpTo', { count: poll.seats })}
      </p>
      <div className="app-vote__options">
        {options.map((o) => {
          const on = chosen.includes(o.id);
          return (
            <div key={o.id} className={`kern-form-check app-vote__option${on ? ' app-vote__option--on' : ''}`}>
              <input
                id={`${headingId}-${o.id}`}
                type="checkbox"
                className="kern-form-check__checkbox"
                checked={on}
                disabled={!on && full}
                aria-describedby={!on && full ? `${headingId}-hint` : undefined}
                onChange={() => setChosen((c) => toggleOption(c, o.id, poll.seats))}
              />
              <label className="kern-label" htmlFor={`${headingId}-${o.id}`}>
                {o.label}
              </label>
            </div>
          );
        })}
      </div>
      <p className="kern-body" role="status">
        {t('committees.vote.chosenCount', { count: chosen.length, seats: poll.seats })}
      </p>
      <div className="app-vote__actions">
        <Button
          className="app-vote__button"
          disabled={chosen.length === 0}
          aria-describedby={chosen.length === 0 ? `${headingId}-hint` : undefined}
          onClick={() => setStep({ kind: 'confirm', ballot: { options: chosen } })}
        >
          {t('committees.vote.next')}
        </Button>
        <Button className="app-vote__button" variant="secondary" onClick={() => setStep({ kind: 'confirm', ballot: { choice: 'abstain' } })}>
          {t('committees.vote.abstain')}
        </Button>
      </div>
    </fieldset>
  );
}
