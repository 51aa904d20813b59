import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { Loading } from '../components/Loading';
import { Cell, Row, RowHeader, Table } from '../components/Table';
import { useMemberName } from '../documents/parts';
import { useAction } from '../lib/useAction';
import { resultRows, verdictKey, type NamedVote, type Poll, type PollResult, type ResultRow } from './model';
import { AnnulledNote, ruleText, useCommitteesCtx } from './parts';

function rowLabel(r: ResultRow, t: (k: string) => string): string {
  return r.translate ? t(r.label) : r.label;
}

/**
 * A bar chart of a result: each row is its label and figures as text with an SVG bar
 * beside it (length relative to the largest row; patterns, not colour alone, tell yes,
 * no and abstention apart). The table that follows it holds the same figures.
 */
export function ResultChart({ rows, labelledBy }: { rows: ResultRow[]; labelledBy: string }) {
  const { t, i18n } = useTranslation();
  const num = new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'de-DE', { maximumFractionDigits: 1 });
  return (
    <ul className="app-chart" aria-labelledby={labelledBy}>
      {rows.map((r) => (
        <li key={r.key} className={`app-chart__row app-chart__row--${r.translate ? r.key : 'option'}`}>
          <span className="app-chart__label">
            <span className="app-chart__name">{rowLabel(r, t)}</span>
            {r.elected && (
              <span className="app-chart__elected">
                <span className="kern-icon kern-icon--check kern-icon--small" aria-hidden="true" /> {t('committees.result.electedMark')}
              </span>
            )}
            <span className="app-chart__figure">{t('committees.result.figure', { count: r.votes, votes: num.format(r.votes), percent: num.format(r.percent) })}</span>
          </span>
          <svg className="app-chart__bar" viewBox="0 0 100 10" preserveAspectRatio="none" width="100%" height="20" aria-hidden="true" focusable="false">
            <rect className="app-chart__track" x="0" y="0" width="100" height="10" />
            {r.bar > 0 && <rect className="app-chart__fill" x="0" y="0" width={r.bar} height="10" />}
          </svg>
        </li>
      ))}
    </ul>
  );
}

/** A closed poll's count and verdict, chart and table, and for named polls who voted how. */
export function ResultView({ poll }: { poll: Poll }) {
  const { t, i18n } = useTranslation();
  const { slug } = useCommitteesCtx();
  const name = useMemberName();
  const [result, setResult] = useState<PollResult | null>(null);
  const [votes, setVotes] = useState<NamedVote[] | null>(null);
  const load = useAction();
  const headingId = useId();
  const tableId = useId();

  // An annulled poll, and a secret one with too few ballots, have no result to read.
  const noResult = poll.state === 'annulled' || poll.too_few_ballots;
  useEffect(() => {
    if (noResult) return;
    void load.run(async () => {
      const path = { tenant: slug, id: poll.id };
      const [r, v] = await Promise.all([
        call(api.GET('/api/v1/t/{tenant}/polls/{id}/result', { params: { path } })),
        poll.kind === 'named' ? call(api.GET('/api/v1/t/{tenant}/polls/{id}/named-votes', { params: { path } })) : Promise.resolve(null),
      ]);
      setResult(r);
      setVotes(v ? v.votes : null);
    });
  }, [slug, poll.id, poll.state, noResult]); // eslint-disable-line react-hooks/exhaustive-deps

  if (poll.state === 'annulled') return <AnnulledNote poll={poll} />;
  if (noResult) return <Alert variant="warning" title={t('committees.poll.tooFewMember')} />;
  if (load.error) return <ErrorAlert error={load.error} focus={false} />;
  if (!result) return <Loading inline />;

  const rows = resultRows(poll, result);
  const elected = poll.options.filter((o) => result.elected.includes(o.id));
  const verdict = t(verdictKey(poll, result));
  const choiceText = (v: NamedVote) =>
    v.choice === 'options' ? v.option_ids.map((id) => poll.options.find((o) => o.id === id)?.label ?? '').join(', ') : t(`committees.vote.${v.choice}`);
  const num = (n: number) => new Intl.NumberFormat(i18n.language === 'en' ? 'en-GB' : 'de-DE').format(n);

  return (
    <section className="app-result" aria-labelledby={headingId} data-testid="poll-result">
      <h3 id={headingId} className="kern-heading-small">
        {t('committees.result.title')}
      </h3>
      <p className={`app-verdict app-verdict--${result.passed ? 'passed' : 'failed'}`} data-testid="verdict">
        <span className={`kern-icon kern-icon--${result.passed ? 'success' : 'danger'}`} aria-hidden="true" />
        <strong>
          {verdict}
          {poll.method === 'choice' && elected.length > 0 && ':'}
        </strong>
        {poll.method === 'choice' && elected.length > 0 && <span>{elected.map((o) => o.label).join(', ')}</span>}
      </p>
      <p className="kern-body kern-body--small">
        {t('committees.result.summary', { ballots: num(result.ballots), cast: num(result.cast_weight), base: num(result.base_weight) })} {ruleText(result.rule, t)}.
        {result.quorum_reached === false && <> {t('committees.result.noQuorum')}</>}
      </p>
      <ResultChart rows={rows} labelledBy={headingId} />
      <Table labelledBy={tableId} columns={[t('committees.result.colOption'), t('committees.result.colVotes'), t('committees.result.colShare')]}>
        {rows.map((r) => (
          <Row key={r.key}>
            <RowHeader>
              {rowLabel(r, t)}
              {r.elected && (
                <>
                  {' '}
                  <Badge variant="success">{t('committees.result.electedMark')}</Badge>
                </>
              )}
            </RowHeader>
            <Cell>{num(r.votes)}</Cell>
            <Cell>{t('committees.result.percent', { value: r.percent.toLocaleString(i18n.language === 'en' ? 'en-GB' : 'de-DE') })}</Cell>
          </Row>
        ))}
      </Table>
      <p id={tableId} className="app-sr-only">
        {t('committees.result.tableLabel', { title: poll.title })}
      </p>
      {votes && (
        <>
          <h4 className="kern-heading-small app-subheading" id={`${headingId}-named`}>
            {t('committees.result.namedTitle')}
          </h4>
          <Table
            empty={<p className="kern-body kern-body--muted">{t('committees.result.namedNone')}</p>}
            labelledBy={`${headingId}-named`}
            columns={[t('committees.result.colVoter'), t('committees.result.colChoice'), t('committees.seat.weight')]}
          >
            {votes.map((v) => (
              <Row key={v.voter_membership_id}>
                <Cell>
                  {name(v.voter_membership_id)}
                  {v.cast_by_membership_id !== v.voter_membership_id && <span className="app-muted-line">{t('committees.result.castBy', { name: name(v.cast_by_membership_id) })}</span>}
                </Cell>
                <Cell>{choiceText(v)}</Cell>
                <Cell>{v.weight}</Cell>
              </Row>
            ))}
          </Table>
        </>
      )}
    </section>
  );
}
