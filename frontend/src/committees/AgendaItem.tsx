import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { api, call } from '../api/client';
import { ErrorAlert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { Button } from '../components/Button';
import { ItemDialog } from './ItemDialog';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Dialog } from '../components/Dialog';
import { TextAreaField } from '../components/Field';
import { usePersonName } from '../documents/parts';
import { formatDateTime } from '../lib/format';
import { useAction } from '../lib/useAction';
import type { AgendaItem, Conflict, Paper, Post } from './model';
import { PaperList, PaperPickerDialog } from './Papers';
import { useCommitteesCtx } from './parts';

/** The discussion of an item: posts oldest first, and a form while the meeting is open. */
export function ItemThread({ item, version, canPost }: { item: AgendaItem; version: number; canPost: boolean }) {
  const { t, i18n } = useTranslation();
  const { slug } = useCommitteesCtx();
  const name = usePersonName();
  const [posts, setPosts] = useState<Post[] | null>(null);
  const [body, setBody] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const load = useAction();
  const send = useAction();
  const fieldId = `post-${item.id}`;

  useEffect(() => {
    void load.run(async () => {
      const res = await call(api.GET('/api/v1/t/{tenant}/agenda-items/{id}/posts', { params: { path: { tenant: slug, id: item.id } } }));
      setPosts(res.posts);
    });
  }, [slug, item.id, version]); // eslint-disable-line react-hooks/exhaustive-deps

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!body.trim()) {
      setFieldError(t('committees.thread.empty'));
      document.getElementById(fieldId)?.focus();
      return;
    }
    setFieldError(undefined);
    const p = await send.run(() => call(api.POST('/api/v1/t/{tenant}/agenda-items/{id}/posts', { params: { path: { tenant: slug, id: item.id } }, body: { body: body.trim() } })));
    if (p) {
      setPosts((l) => (l && !l.some((x) => x.id === p.id) ? [...l, p] : l));
      setBody('');
    }
  };

  return (
    <div className="app-thread">
      <ErrorAlert error={load.error} focus={false} />
      {posts && posts.length === 0 && <p className="kern-body kern-body--muted">{t('committees.thread.none')}</p>}
      {posts && posts.length > 0 && (
        <ol className="app-thread__list" aria-label={t('committees.thread.listLabel', { title: item.title })}>
          {posts.map((p) => (
            <li key={p.id} className="app-thread__post">
              <p className="app-thread__meta">
                <strong>{name(p.author_id)}</strong> <span className="app-muted-line">{formatDateTime(p.created_at, i18n.language)}</span>
              </p>
              <p className="kern-body app-thread__body">{p.body}</p>
            </li>
          ))}
        </ol>
      )}
      {canPost && (
        <form className="app-form" onSubmit={submit} noValidate>
          <ErrorAlert error={send.error} />
          <TextAreaField id={fieldId} label={t('committees.thread.label')} rows={3} maxLength={10000} value={body} onChange={(e) => setBody(e.target.value)} error={fieldError} />
          <div className="app-actions">
            <Button type="submit" variant="secondary" busy={send.busy}>
              {t('committees.thread.send')}
            </Button>
          </div>
        </form>
      )}
    </div>
  );
}

/** Who declared a conflict of interest on the item, and the member's own declaration. */
export function ItemConflicts({ item, version, seated, canChange, onChanged }: { item: AgendaItem; version: number; seated: boolean; canChange: boolean; onChanged: () => void }) {
  const { t } = useTranslation();
  const { slug, membershipId } = useCommitteesCtx();
  const name = usePersonName();
  const [list, setList] = useState<Conflict[] | null>(null);
  const [declaring, setDeclaring] = useState(false);
  const [withdrawing, setWithdrawing] = useState(false);
  const [reason, setReason] = useState('');
  const load = useAction();
  const declare = useAction();
  const path = { tenant: slug, id: item.id };

  useEffect(() => {
    void load.run(async () => setList((await call(api.GET('/api/v1/t/{tenant}/agenda-items/{id}/conflicts', { params: { path } }))).conflicts));
  }, [slug, item.id, version]); // eslint-disable-line react-hooks/exhaustive-deps

  const mine = list?.find((c) => c.membership_id === membershipId);
  return (
    <div className="app-conflicts">
      <ErrorAlert error={load.error} focus={false} />
      {list && list.length > 0 && (
        <ul className="app-conflicts__list" aria-label={t('committees.conflicts.listLabel')}>
          {list.map((c) => (
            <li key={c.id}>
              <Badge variant="warning">{t('committees.conflicts.badge')}</Badge> {name(c.membership_id)}
              {c.reason && <span className="app-muted-line">{c.reason}</span>}
            </li>
          ))}
        </ul>
      )}
      {seated && canChange && list && (
        <div className="app-actions">
          {mine ? (
            <Button variant="secondary" small onClick={() => setWithdrawing(true)}>
              {t('committees.conflicts.withdraw')}
              <span className="app-sr-only">: {item.title}</span>
            </Button>
          ) : (
            <Button variant="secondary" small onClick={() => setDeclaring(true)}>
              {t('committees.conflicts.declare')}
              <span className="app-sr-only">: {item.title}</span>
            </Button>
          )}
        </div>
      )}
      <Dialog open={declaring} title={t('committees.conflicts.declareTitle', { title: item.title })} onClose={() => setDeclaring(false)}>
        <ErrorAlert error={declare.error} />
        <form
          className="app-form"
          noValidate
          onSubmit={async (e) => {
            e.preventDefault();
            const res = await declare.run(() => call(api.POST('/api/v1/t/{tenant}/agenda-items/{id}/conflicts', { params: { path }, body: { reason: reason.trim() } })));
            if (res) {
              setList((l) => [...(l ?? []).filter((c) => c.id !== res.id), res]);
              setDeclaring(false);
              setReason('');
              onChanged();
            }
          }}
        >
          <p className="kern-body">{t('committees.conflicts.declareText')}</p>
          <TextAreaField id={`conflict-reason-${item.id}`} label={t('committees.conflicts.reason')} optional rows={2} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} />
          <div className="app-actions">
            <Button type="submit" busy={declare.busy}>
              {t('committees.conflicts.declareSubmit')}
            </Button>
            <Button variant="secondary" onClick={() => setDeclaring(false)}>
              {t('common.cancel')}
            </Button>
          </div>
        </form>
      </Dialog>
      <ConfirmDialog
        open={withdrawing}
        title={t('committees.conflicts.withdrawTitle')}
        confirmLabel={t('committees.conflicts.withdraw')}
        onClose={() => setWithdrawing(false)}
        onConfirm={async () => {
          await call(api.DELETE('/api/v1/t/{tenant}/agenda-items/{id}/conflicts/{membership}', { params: { path: { ...path, membership: membershipId } } }));
          setList((l) => (l ?? []).filter((c) => c.membership_id !== membershipId));
          onChanged();
        }}
      >
        <p className="kern-body">{t('committees.conflicts.withdrawText', { title: item.title })}</p>
      </ConfirmDialog>
    </div>
  );
}

/** An accepted agenda item: number, title, public or not, papers, discussion, conflicts. */
export function AgendaItemCard({
  item,
  index,
  count,
  papers,
  versions,
  manage,
  seated,
  open,
  busy,
  onMove,
  onChanged,
  children,
}: {
  item: AgendaItem;
  index: number;
  count: number;
  papers: Paper[];
  versions: { posts: number; conflicts: number };
  manage: boolean;
  seated: boolean;
  /** The meeting is not closed: the agenda, papers and discussion may still change. */
  open: boolean;
  busy: boolean;
  onMove: (delta: -1 | 1) => void;
  onChanged: (what: 'papers' | 'conflicts' | 'agenda') => void;
  /** Polls of the item (rendered by the page). */
  children?: ReactNode;
}) {
  const { t } = useTranslation();
  const { slug } = useCommitteesCtx();
  const headingId = useId();
  const [attaching, setAttaching] = useState(false);
  const [editing, setEditing] = useState(false);
  const [detach, setDetach] = useState<{ paper: Paper; title: string } | null>(null);
  const label = t('committees.agenda.number', { number: item.number });
  return (
    <li className="app-item" data-item={item.title}>
      <article aria-labelledby={headingId}>
        <header className="app-item__head">
          <h3 id={headingId} className="kern-heading-small app-item__title">
            <span className="app-item__number">{label}</span> {item.title}
          </h3>
          <p className="app-status-line">
            {item.public ? <Badge variant="success">{t('committees.agenda.public')}</Badge> : <Badge variant="warning">{t('committees.agenda.nonPublic')}</Badge>}
          </p>
          {manage && open && (
            <span className="app-row-actions app-item__move">
              <Button id={`edit-${item.id}`} variant="secondary" small icon="edit" onClick={() => setEditing(true)}>
                {t('committees.agenda.edit')}
                <span className="app-sr-only">: {label} {item.title}</span>
              </Button>
              <Button id={`move-up-${item.id}`} variant="secondary" small icon="arrow-up" disabled={index === 0} aria-describedby={index === 0 ? `move-why-${item.id}` : undefined} busy={busy} onClick={() => onMove(-1)}>
                {t('committees.agenda.up')}
                <span className="app-sr-only">: {label} {item.title}</span>
              </Button>
              <Button id={`move-down-${item.id}`} variant="secondary" small icon="arrow-down" disabled={index === count - 1} aria-describedby={index === count - 1 ? `move-why-${item.id}` : undefined} busy={busy} onClick={() => onMove(1)}>
                {t('committees.agenda.down')}
                <span className="app-sr-only">: {label} {item.title}</span>
              </Button>
              {(index === 0 || index === count - 1) && (
                // Why a move button is disabled (a sighted user sees the item's place).
                <span id={`move-why-${item.id}`} className="app-sr-only">
                  {count === 1 ? t('committees.agenda.onlyItem') : index === 0 ? t('committees.agenda.isFirst') : t('committees.agenda.isLast')}
                </span>
              )}
            </span>
          )}
        </header>
        {item.description && <p className="kern-body app-item__description">{item.description}</p>}
        <div className="app-item__part">
          <h4 className="kern-label app-item__subhead">{t('committees.papers.title')}</h4>
          <PaperList papers={papers} canDetach={manage && open} onDetach={(paper, title) => setDetach({ paper, title })} />
          {manage && open && (
            <Button variant="secondary" small icon="add" onClick={() => setAttaching(true)}>
              {t('committees.papers.attachButton')}
              <span className="app-sr-only">: {item.title}</span>
            </Button>
          )}
        </div>
        {children}
        <div className="app-item__part">
          <h4 className="kern-label app-item__subhead">{t('committees.conflicts.title')}</h4>
          <ItemConflicts item={item} version={versions.conflicts} seated={seated} canChange={open} onChanged={() => onChanged('conflicts')} />
        </div>
        <details className="app-item__discussion">
          <summary className="kern-link">{t('committees.thread.title')}</summary>
          <ItemThread item={item} version={versions.posts} canPost={open && seated} />
        </details>
      </article>
      <ItemDialog
        open={editing}
        propose={false}
        initial={{ title: item.title, description: item.description ?? '', public: item.public }}
        onClose={() => setEditing(false)}
        onSubmit={async (body) => {
          await call(api.PUT('/api/v1/t/{tenant}/agenda-items/{id}', { params: { path: { tenant: slug, id: item.id } }, body }));
          onChanged('agenda');
        }}
      />
      <PaperPickerDialog
        open={attaching}
        itemTitle={item.title}
        onClose={() => setAttaching(false)}
        onPick={async (documentId) => {
          await call(api.POST('/api/v1/t/{tenant}/agenda-items/{id}/papers', { params: { path: { tenant: slug, id: item.id } }, body: { document_id: documentId } }));
          onChanged('papers');
        }}
      />
      <ConfirmDialog
        open={detach !== null}
        title={t('committees.papers.detachTitle', { title: detach?.title ?? '' })}
        confirmLabel={t('committees.papers.detach')}
        onClose={() => setDetach(null)}
        onConfirm={async () => {
          if (!detach) return;
          await call(api.DELETE('/api/v1/t/{tenant}/agenda-items/{id}/papers/{document}', { params: { path: { tenant: slug, id: item.id, document: detach.paper.document_id } } }));
          onChanged('papers');
        }}
      >
        <p className="kern-body">{t('committees.papers.detachText')}</p>
      </ConfirmDialog>
    </li>
  );
}
