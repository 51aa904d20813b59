import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, call } from '../api/client';
import { isApiError } from '../api/problem';
import { Alert, ErrorAlert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { Button } from '../components/Button';
import { TextAreaField } from '../components/Field';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { Cell, Row, Table } from '../components/Table';
import { etag } from '../documents/model';
import { FolderPickerDialog } from '../documents/FolderPickerDialog';
import { documentHref } from '../documents/parts';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import { meetingWhen } from './MeetingPage';
import { committeeHref, extractPdfURL, meetingHref, minutesPdfURL, type Minutes, type MinutesItem } from './model';
import { Crumbs, useCommitteesCtx } from './parts';

interface Texts {
  preamble: string;
  closing: string;
  items: Record<string, { summary: string; decision: string }>;
}

function textsOf(m: Minutes): Texts {
  return {
    preamble: m.preamble,
    closing: m.closing,
    items: Object.fromEntries(m.items.map((i) => [i.agenda_item_id, { summary: i.summary, decision: i.decision }])),
  };
}

/** The edits to send: only what differs from the minutes as read. */
export function minutesEdit(m: Minutes, x: Texts) {
  const items = m.items
    .filter((i) => x.items[i.agenda_item_id] && (x.items[i.agenda_item_id].summary !== i.summary || x.items[i.agenda_item_id].decision !== i.decision))
    .map((i) => ({ agenda_item_id: i.agenda_item_id, summary: x.items[i.agenda_item_id].summary, decision: x.items[i.agenda_item_id].decision }));
  return {
    ...(x.preamble !== m.preamble ? { preamble: x.preamble } : {}),
    ...(x.closing !== m.closing ? { closing: x.closing } : {}),
    ...(items.length ? { items } : {}),
  };
}

/** What the record says about an item: papers, conflicts, polls with their verdicts. */
export function ItemRecord({ item }: { item: MinutesItem }) {
  const { t } = useTranslation();
  if (item.papers.length === 0 && item.conflicts.length === 0 && item.polls.length === 0) return null;
  return (
    <div className="app-minutes__record">
      {item.papers.length > 0 && (
        <p className="kern-body kern-body--small">
          <strong>{t('committees.papers.title')}:</strong>{' '}
          {item.papers.map((p) => (p.revision_number ? t('committees.minutes.paperRev', { title: p.title, number: p.revision_number }) : p.title)).join('; ')}
        </p>
      )}
      {item.conflicts.length > 0 && (
        <p className="kern-body kern-body--small">
          <strong>{t('committees.conflicts.title')}:</strong> {item.conflicts.map((c) => c.name).join(', ')}
        </p>
      )}
      {item.polls.map((p) => (
        <div key={p.poll_id} className="app-minutes__poll" data-minutes-poll={p.title}>
          <p className="kern-body kern-body--small">
            <strong>{p.title}</strong> ({t(`committees.poll.${p.kind}`)})
          </p>
          {p.annulled || p.no_result ? (
            // No tally and no decision: only that, and why.
            <p className="kern-body kern-body--small" data-testid="minutes-poll-void">
              <strong>{t(p.annulled ? 'committees.minutes.annulled' : 'committees.minutes.noResult')}</strong>
              {p.annulled && p.annul_reason && <> – {t('committees.poll.annulledReason', { reason: p.annul_reason })}</>}
            </p>
          ) : (
            <p className="kern-body kern-body--small">
              {p.method === 'choice'
                ? p.options.map((o) => `${o.label}: ${o.votes}${o.elected ? ` (${t('committees.result.electedMark')})` : ''}`).join(' · ')
                : t('committees.minutes.counts', { yes: p.yes, no: p.no, abstain: p.abstain })}{' '}
              – <strong>{p.verdict}</strong>
            </p>
          )}
          {p.named_votes.length > 0 && (
            <p className="kern-body kern-body--small app-muted-line">
              {p.named_votes.map((v) => `${v.name}: ${v.choice === 'options' ? v.options.join(', ') : t(`committees.vote.${v.choice}`)}`).join(' · ')}
            </p>
          )}
        </div>
      ))}
    </div>
  );
}

/** A meeting's minutes: the draft's editor (If-Match), the chair's approval and filing, the PDFs. */
export function MinutesPage({ meetingId }: { meetingId: string }) {
  const { t, i18n } = useTranslation();
  const { slug } = useCommitteesCtx();
  const lng = i18n.language;
  const [minutes, setMinutes] = useState<Minutes | null>(null);
  const [texts, setTexts] = useState<Texts | null>(null);
  const [notice, setNotice] = useState('');
  const [stale, setStale] = useState(false);
  const [approving, setApproving] = useState(false);
  const load = useAction();
  const save = useAction();
  const attendanceId = useId();
  const whyId = useId();
  const path = { tenant: slug, id: meetingId };

  const read = async () => {
    const m = await load.run(() => call(api.GET('/api/v1/t/{tenant}/meetings/{id}/minutes', { params: { path } })));
    if (m) {
      setMinutes(m);
      setTexts(textsOf(m));
      setStale(false);
    }
  };

  useEffect(() => {
    void read();
  }, [slug, meetingId]); // eslint-disable-line react-hooks/exhaustive-deps

  if (load.error && !minutes) {
    return (
      <>
        <Crumbs items={[{ label: t('committees.minutes.title') }]} />
        <PageHeading title={t('committees.minutes.title')}>{t('committees.minutes.title')}</PageHeading>
        <ErrorAlert error={load.error} />
        <p className="kern-body">
          <Link className="kern-link" to={meetingHref(slug, meetingId)}>
            {t('committees.minutes.toMeeting')}
          </Link>
        </p>
      </>
    );
  }
  if (!minutes || !texts) return <Loading />;

  const h = minutes.header;
  const editable = minutes.can_edit && minutes.state === 'draft';
  const edit = minutesEdit(minutes, texts);
  const dirty = Object.keys(edit).length > 0;
  const heading = t('committees.minutes.heading', { title: h.meeting_title });
  // Who may approve: the chair or deputy chair (as the record names them).
  const approvers = minutes.attendance.filter((a) => a.role === 'chair' || a.role === 'deputy_chair').map((a) => a.name);
  // Why approving is not possible now, and who can: '' when it is.
  const why = !minutes.can_approve
    ? t('committees.minutes.onlyChair', { names: approvers.join(', ') || t('committees.minutes.nobodyChairs') })
    : dirty
      ? t('committees.minutes.saveFirst')
      : '';
  const itemNumber = (id?: string) => minutes.items.find((i) => i.agenda_item_id === id)?.number ?? '?';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setNotice('');
    if (!dirty) {
      setNotice(t('committees.minutes.unchanged'));
      return;
    }
    const res = await save.run(
      () => call(api.PUT('/api/v1/t/{tenant}/meetings/{id}/minutes', { params: { path, header: { 'If-Match': etag(minutes.version) } }, body: edit })),
      (err) => {
        if (isApiError(err) && err.status === 412) {
          setStale(true);
          setTimeout(() => document.getElementById('minutes-stale')?.focus(), 0);
          return true;
        }
        return false;
      },
    );
    if (res) {
      setMinutes(res);
      setTexts(textsOf(res));
      setNotice(t('committees.minutes.saved', { at: formatDateTime(res.updated_at, lng) }));
    }
  };

  const setItem = (id: string, patch: Partial<{ summary: string; decision: string }>) =>
    setTexts((x) => (x ? { ...x, items: { ...x.items, [id]: { ...x.items[id], ...patch } } } : x));

  return (
    <>
      <Crumbs
        items={[
          { label: h.committee_name, href: committeeHref(slug, h.committee_id) },
          { label: h.meeting_title, href: meetingHref(slug, meetingId) },
          { label: t('committees.minutes.title') },
        ]}
      />
      <PageHeading title={heading} sub={`${h.committee_name} · ${meetingWhen(h.starts_at, h.ends_at, lng)}${h.place ? ` · ${h.place}` : ''}`}>
        {heading}
      </PageHeading>
      <p className="app-status-line">
        <Badge variant={minutes.state === 'approved' ? 'success' : 'warning'}>{t(`committees.minutes.state.${minutes.state}`)}</Badge>
        {minutes.approved_at && (
          <span className="kern-body kern-body--small">
            {t('committees.minutes.approvedBy', { name: minutes.approved_by?.name ?? '', at: formatDateTime(minutes.approved_at, lng) })}
          </span>
        )}
      </p>
      {notice && <Alert variant="success" title={notice} live="status" />}
      {stale && (
        <div id="minutes-stale" tabIndex={-1} className="app-focus-target">
          <Alert variant="warning" title={t('committees.minutes.staleTitle')} live="alert">
            <p className="kern-body">{t('committees.minutes.staleText')}</p>
            <div className="app-actions">
              <Button variant="secondary" icon="autorenew" onClick={() => void read()}>
                {t('committees.minutes.reload')}
              </Button>
            </div>
          </Alert>
        </div>
      )}

      <section className="app-section" aria-labelledby="minutes-files">
        <h2 id="minutes-files" className="kern-heading-medium">
          {t('committees.minutes.files')}
        </h2>
        <ul className="app-links">
          <li>
            <a className="kern-link" href={minutesPdfURL(slug, meetingId, 'full')} data-testid="minutes-pdf">
              <span className="kern-icon kern-icon--download kern-icon--small" aria-hidden="true" /> {t('committees.minutes.pdfFull')}
            </a>
          </li>
          <li>
            <a className="kern-link" href={minutesPdfURL(slug, meetingId, 'public')}>
              <span className="kern-icon kern-icon--download kern-icon--small" aria-hidden="true" /> {t('committees.minutes.pdfPublic')}
            </a>
          </li>
          {minutes.filings.map((f) => (
            <li key={f.revision_id}>
              <Link className="kern-link" to={documentHref(slug, f.document_id)}>
                {t('committees.minutes.filed', { number: f.revision_number, at: formatDateTime(f.filed_at, lng) })}
              </Link>
            </li>
          ))}
          {minutes.extract_filings.map((f) => (
            <li key={f.revision_id}>
              <Link className="kern-link" to={documentHref(slug, f.document_id)}>
                {t('committees.minutes.extractFiled', { number: itemNumber(f.agenda_item_id), revision: f.revision_number })}
              </Link>
            </li>
          ))}
        </ul>
        {minutes.state === 'draft' && (minutes.can_approve || minutes.can_edit) && (
          <>
            <p className="kern-body">{t('committees.minutes.approveText')}</p>
            {why && (
              <p className="kern-body kern-body--muted" id={whyId} data-testid="approve-why">
                {why}
              </p>
            )}
            <div className="app-actions">
              <Button icon="check" disabled={!!why} aria-describedby={why ? whyId : undefined} onClick={() => setApproving(true)}>
                {t('committees.minutes.approve')}
              </Button>
            </div>
          </>
        )}
        {minutes.state === 'approved' && minutes.can_file && (
          <Alert variant="warning" title={t('committees.minutes.notFiled')}>
            <Button variant="secondary" onClick={() => setApproving(true)}>
              {t('committees.minutes.fileAgain')}
            </Button>
          </Alert>
        )}
      </section>

      <form onSubmit={submit} noValidate className="app-minutes">
        <section className="app-section" aria-labelledby="minutes-opening">
          <h2 id="minutes-opening" className="kern-heading-medium">
            {t('committees.minutes.opening')}
          </h2>
          <p className="kern-body kern-body--small">
            {t('committees.minutes.chairs')}: {h.chairs.map((p) => p.name).join(', ') || '—'} · {t('committees.minutes.secretaries')}: {h.secretaries.map((p) => p.name).join(', ') || '—'}
          </p>
          {editable ? (
            <TextAreaField id="minutes-preamble" label={t('committees.minutes.preamble')} rows={3} maxLength={20000} value={texts.preamble} onChange={(e) => setTexts({ ...texts, preamble: e.target.value })} />
          ) : (
            texts.preamble && <p className="kern-body app-prewrap">{texts.preamble}</p>
          )}
        </section>

        <section className="app-section" aria-labelledby={attendanceId}>
          <h2 id={attendanceId} className="kern-heading-medium">
            {t('committees.attendance.title')}
          </h2>
          <p className="kern-body">
            {t(minutes.quorum.reached ? 'committees.minutes.quorumReached' : 'committees.minutes.quorumMissed', {
              present: minutes.quorum.present_weight,
              members: minutes.quorum.members_weight,
            })}
          </p>
          <Table labelledBy={attendanceId} columns={[t('committees.seat.name'), t('committees.seat.role'), t('committees.attendance.statusCol')]}>
            {minutes.attendance.map((a) => (
              <Row key={a.membership_id}>
                <Cell>{a.name}</Cell>
                <Cell>{t(`committees.role.${a.role}`)}</Cell>
                <Cell>
                  {t(`committees.attendance.status.${a.status}`)}
                  {a.arrived_at && <span className="app-muted-line">{t('committees.minutes.arrived', { at: formatDateTime(a.arrived_at, lng) })}</span>}
                </Cell>
              </Row>
            ))}
          </Table>
        </section>

        <section className="app-section" aria-labelledby="minutes-items">
          <h2 id="minutes-items" className="kern-heading-medium">
            {t('committees.agenda.title')}
          </h2>
          <ol className="app-minutes__items">
            {minutes.items.map((it) => (
              <li key={it.agenda_item_id} className="app-minutes__item">
                <h3 className="kern-heading-small">
                  {t('committees.agenda.number', { number: it.number })}: {it.title}{' '}
                  {it.public ? <Badge variant="success">{t('committees.agenda.public')}</Badge> : <Badge variant="warning">{t('committees.agenda.nonPublic')}</Badge>}
                </h3>
                <ItemRecord item={it} />
                {editable ? (
                  <>
                    <TextAreaField
                      id={`minutes-summary-${it.agenda_item_id}`}
                      label={t('committees.minutes.summary', { number: it.number })}
                      rows={4}
                      maxLength={20000}
                      value={texts.items[it.agenda_item_id]?.summary ?? ''}
                      onChange={(e) => setItem(it.agenda_item_id, { summary: e.target.value })}
                    />
                    <TextAreaField
                      id={`minutes-decision-${it.agenda_item_id}`}
                      label={t('committees.minutes.decision', { number: it.number })}
                      rows={3}
                      maxLength={20000}
                      value={texts.items[it.agenda_item_id]?.decision ?? ''}
                      onChange={(e) => setItem(it.agenda_item_id, { decision: e.target.value })}
                    />
                  </>
                ) : (
                  <>
                    {it.summary && <p className="kern-body app-prewrap">{it.summary}</p>}
                    {it.decision && (
                      <p className="kern-body app-prewrap">
                        <strong>{t('committees.minutes.decisionLabel')}:</strong> {it.decision}
                      </p>
                    )}
                  </>
                )}
                {minutes.state === 'approved' && it.polls.length > 0 && (
                  <p className="kern-body">
                    <a className="kern-link" href={extractPdfURL(slug, it.agenda_item_id)}>
                      <span className="kern-icon kern-icon--download kern-icon--small" aria-hidden="true" /> {t('committees.minutes.extract', { number: it.number })}
                    </a>
                  </p>
                )}
              </li>
            ))}
          </ol>
        </section>

        <section className="app-section" aria-labelledby="minutes-closing">
          <h2 id="minutes-closing" className="kern-heading-medium">
            {t('committees.minutes.closingTitle')}
          </h2>
          {editable ? (
            <TextAreaField id="minutes-closing-text" label={t('committees.minutes.closing')} rows={3} maxLength={20000} value={texts.closing} onChange={(e) => setTexts({ ...texts, closing: e.target.value })} />
          ) : (
            texts.closing && <p className="kern-body app-prewrap">{texts.closing}</p>
          )}
        </section>

        {editable && <ErrorAlert error={save.error} />}
        {editable && (
          <div className="app-actions app-sticky-actions">
            <Button type="submit" busy={save.busy}>
              {t('committees.minutes.save')}
            </Button>
            <span className="kern-body kern-body--small app-muted-line">{dirty ? t('committees.minutes.dirty') : t('committees.minutes.clean')}</span>
          </div>
        )}
      </form>

      <FolderPickerDialog
        open={approving}
        title={t('committees.minutes.approveTitle')}
        confirmLabel={minutes.state === 'approved' ? t('committees.minutes.fileHere') : t('committees.minutes.approveHere')}
        // The committee's own folder: the chair always files there.
        startFolderId={minutes.filing_folder_id}
        intro={t('committees.minutes.approveIntro')}
        onClose={() => setApproving(false)}
        onPick={async (folder) => {
          if (!folder) return;
          const res = await call(
            api.POST('/api/v1/t/{tenant}/meetings/{id}/minutes/approve', { params: { path, header: { 'If-Match': etag(minutes.version) } }, body: { folder_id: folder.id } }),
          );
          setMinutes(res);
          setTexts(textsOf(res));
          setNotice(t('committees.minutes.approved', { folder: folder.name }));
        }}
      />
    </>
  );
}
