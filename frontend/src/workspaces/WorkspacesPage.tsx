import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router';
import { api, call } from '../api/client';
import { Alert, ErrorAlert } from '../components/Alert';
import { Badge } from '../components/Badge';
import { Button } from '../components/Button';
import { SelectField } from '../components/Field';
import { Loading } from '../components/Loading';
import { PageHeading } from '../components/PageHeading';
import { Pager } from '../components/Pager';
import { useDocs } from '../documents/context';
import { useAction } from '../lib/useAction';
import { useCursorPages } from '../lib/useCursorPages';
import { mayUseWorkspaces, PAGE_SIZE, periodText, readFilters, SCOPES, STATE_FILTERS, workspaceHref, type Scope, type StateFilter, type Workspace } from './model';
import { WorkspaceDialog } from './WorkspaceDialog';

/**
 * The workspaces: the caller's, the directory of open ones (with a join button), or for
 * administrators all; active, archived or both; a page at a time. Staff create new ones.
 * Guests (partners) see the workspaces they were invited into, with a word on what they
 * may do there, and neither the directory nor the create button.
 */
export function WorkspacesPage() {
  const { t, i18n } = useTranslation();
  const { slug, isAdmin, role } = useDocs();
  const guest = !mayUseWorkspaces(role);
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filters = readFilters(params, isAdmin);
  const scope: Scope = guest ? 'mine' : filters.scope;
  const state = filters.state;
  const [draft, setDraft] = useState<{ scope: Scope; state: StateFilter }>({ scope, state });
  const pages = useCursorPages<string>();
  const [list, setList] = useState<Workspace[] | null>(null);
  const [next, setNext] = useState<string | undefined>();
  const [creating, setCreating] = useState(false);
  const location = useLocation();
  const [notice, setNotice] = useState<string>((location.state as { notice?: string } | null)?.notice ?? '');
  const load = useAction();
  const join = useAction();

  useEffect(() => {
    setDraft({ scope, state });
  }, [scope, state]);

  useEffect(() => {
    setList(null);
    void load.run(async () => {
      const res = await call(
        api.GET('/api/v1/t/{tenant}/workspaces', {
          params: { path: { tenant: slug }, query: { scope, state, limit: PAGE_SIZE, ...(pages.cursor ? { cursor: pages.cursor } : {}) } },
        }),
      );
      setList(res.workspaces);
      setNext(res.next_cursor);
    });
  }, [slug, scope, state, pages.cursor]); // eslint-disable-line react-hooks/exhaustive-deps

  const apply = (e: FormEvent) => {
    e.preventDefault();
    pages.reset();
    setNotice('');
    const p = new URLSearchParams();
    if (draft.scope !== 'mine') p.set('scope', draft.scope);
    if (draft.state !== 'active') p.set('state', draft.state);
    setParams(p);
  };

  const joinOne = async (w: Workspace) => {
    const res = await join.run(() => call(api.POST('/api/v1/t/{tenant}/workspaces/{id}/join', { params: { path: { tenant: slug, id: w.id } } })));
    if (res) {
      setList((l) => (l ?? []).map((x) => (x.id === res.id ? res : x)));
      setNotice(t('workspaces.join.done', { name: res.name }));
    }
  };

  const emptyText = guest
    ? t('workspaces.list.noneGuest')
    : scope === 'directory'
      ? t('workspaces.list.noneDirectory')
      : scope === 'all'
        ? t('workspaces.list.noneAll')
        : t('workspaces.list.noneMine');

  return (
    <>
      <PageHeading title={t('workspaces.title')} sub={t('workspaces.lead')}>
        {t('workspaces.title')}
      </PageHeading>
      {notice && <Alert variant="success" title={notice} live="status" />}
      <ErrorAlert error={join.error} />
      {guest ? (
        <p className="kern-body" data-testid="ws-guest-lead">
          {t('workspaces.guestLead')}
        </p>
      ) : (
        <div className="app-actions app-toolbar">
          <Button icon="add" onClick={() => setCreating(true)}>
            {t('workspaces.create.button')}
          </Button>
        </div>
      )}
      <form className="app-filters" onSubmit={apply} role="search" aria-label={t('workspaces.list.filterLabel')}>
        {!guest && (
          <SelectField
            id="workspaces-scope"
            label={t('workspaces.list.scope')}
            hint={isAdmin ? undefined : t('workspaces.list.allAdminsOnly')}
            value={draft.scope}
            onChange={(e) => setDraft({ ...draft, scope: e.target.value as Scope })}
          >
            {SCOPES.map((s) => (
              <option key={s} value={s} disabled={s === 'all' && !isAdmin}>
                {t(`workspaces.scope.${s}`)}
              </option>
            ))}
          </SelectField>
        )}
        <SelectField id="workspaces-state" label={t('workspaces.list.state')} value={draft.state} onChange={(e) => setDraft({ ...draft, state: e.target.value as StateFilter })}>
          {STATE_FILTERS.map((s) => (
            <option key={s} value={s}>
              {t(`workspaces.stateFilter.${s}`)}
            </option>
          ))}
        </SelectField>
        <div className="app-actions">
          <Button type="submit" variant="secondary" icon="search">
            {t('common.filter')}
          </Button>
        </div>
      </form>
      <section className="app-section" aria-labelledby="workspaces-list">
        <h2 id="workspaces-list" className="kern-heading-medium">
          {t(`workspaces.scope.${scope}`)}
          {state !== 'active' && ` (${t(`workspaces.stateFilter.${state}`)})`}
        </h2>
        <ErrorAlert error={load.error} focus={false} />
        {!list && !load.error && <Loading inline />}
        {list && list.length === 0 && <Alert variant="info" title={emptyText} live="status" />}
        {list && list.length > 0 && (
          <ul className="app-cards" data-testid="workspace-list">
            {list.map((w) => (
              <li key={w.id} className="kern-card app-card app-ws-card" data-workspace={w.name}>
                <div className="kern-card__container">
                  <div className="kern-card__header">
                    <h3 className="kern-title">
                      <Link className="kern-link" to={workspaceHref(slug, w.id)}>
                        {w.name}
                      </Link>
                    </h3>
                  </div>
                  <div className="kern-card__body">
                    {w.purpose && <p className="kern-body app-clamp">{w.purpose}</p>}
                    <p className="app-status-line">
                      {w.my_role ? <Badge variant="info">{t(`workspaces.role.${w.my_role}`)}</Badge> : <Badge variant="info">{t('workspaces.notMember')}</Badge>}
                      <Badge variant={w.visibility === 'open' ? 'success' : 'info'}>{t(`workspaces.visibilityShort.${w.visibility}`)}</Badge>
                      {w.state === 'archived' && <Badge variant="warning">{t('workspaces.archivedBadge')}</Badge>}
                    </p>
                    <p className="kern-body kern-body--small app-muted-line">
                      {[
                        w.file_number ? t('workspaces.card.fileNumber', { fileNumber: w.file_number }) : '',
                        t('workspaces.card.members', { count: w.member_count }),
                        periodText(w, i18n.language, t),
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </p>
                    {!w.my_role && w.visibility === 'open' && w.state === 'active' && (
                      <div className="app-actions">
                        <Button variant="secondary" small icon="add" busy={join.busy} onClick={() => void joinOne(w)}>
                          {t('workspaces.join.button')}
                          <span className="app-sr-only">: {w.name}</span>
                        </Button>
                      </div>
                    )}
                  </div>
                </div>
              </li>
            ))}
          </ul>
        )}
        <Pager
          page={pages.page}
          hasNext={!!next}
          label={t('workspaces.list.pages')}
          onPrev={pages.prev}
          onNext={() => pages.next(next)}
        />
      </section>
      <WorkspaceDialog
        open={creating}
        onClose={() => setCreating(false)}
        onSubmit={async (body) => {
          const w = await call(api.POST('/api/v1/t/{tenant}/workspaces', { params: { path: { tenant: slug } }, body }));
          navigate(workspaceHref(slug, w.id), { state: { notice: t('workspaces.create.done', { name: w.name }) } });
        }}
      />
    </>
  );
}
