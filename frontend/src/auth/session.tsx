// The signed-in state of the app: who is signed in (GET /api/v1/me), whether a sign-in
// waits for its second factor, and why a session ended. Every API failure with
// `unauthenticated` while signed in means the session expired (30 minutes idle).
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api, call, onProblem, resetCsrfToken, type Me, type TenantRef } from '../api/client';
import { ApiError, isSessionGone } from '../api/problem';
import { syncLanguage } from '../i18n/sync';

export type SessionState =
  | { status: 'loading'; unavailable?: boolean }
  | { status: 'anonymous'; reason?: 'expired' | 'signed-out' }
  | { status: 'pending' }
  | { status: 'signed-in'; me: Me };

export interface SessionApi {
  state: SessionState;
  /** Re-reads /me (after enrolment, accepting an invitation, …). */
  refresh: () => Promise<Me | null>;
  /** Password step; tells whether a second factor is needed next. */
  login: (email: string, password: string) => Promise<'second-factor' | 'done'>;
  secondFactor: (input: { code: string } | { recovery_code: string }) => Promise<Me>;
  logout: () => Promise<void>;
  /** Ends the local view of a session the server no longer knows (shows "expired"). */
  expire: () => void;
  /** Takes the signed-in person as the server answered a change (PATCH /me). */
  replaceMe: (me: Me) => void;
}

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const stateRef = useRef(state);
  stateRef.current = state;

  const refresh = useCallback(async (): Promise<Me | null> => {
    try {
      const me = await call(api.GET('/api/v1/me'));
      setState({ status: 'signed-in', me });
      return me;
    } catch (e) {
      if (e instanceof ApiError && e.code === 'second-factor-required') {
        setState({ status: 'pending' });
        return null;
      }
      if (e instanceof ApiError && e.status === 401) {
        setState((s) => (s.status === 'anonymous' ? s : { status: 'anonymous' }));
        return null;
      }
      throw e;
    }
  }, []);

  // The first look at the session. An unreachable server (503, or no answer) is not a
  // signed-out person: keep waiting, say why, and try again when the server says to.
  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = () => {
      refresh().catch((e: unknown) => {
        if (!live) return;
        if (e instanceof ApiError && (e.code === 'unavailable' || e.code === 'network')) {
          setState({ status: 'loading', unavailable: true });
          timer = setTimeout(load, Math.max(1, e.retryAfter ?? 5) * 1000);
          return;
        }
        setState({ status: 'anonymous' });
      });
    };
    load();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [refresh]);

  // A session that ends under us (idle timeout, revoked elsewhere, password changed).
  useEffect(
    () =>
      onProblem((err, path) => {
        const s = stateRef.current.status;
        if (isSessionGone(err.code) && !path.startsWith('/api/v1/auth/')) {
          if (s === 'signed-in' || s === 'pending') setState({ status: 'anonymous', reason: 'expired' });
        } else if ((err.code === 'totp-enrolment-required' || err.code === 'membership-deactivated') && s === 'signed-in') {
          // The tenant's policy or the membership changed meanwhile: re-read what is usable.
          void refresh().catch(() => undefined);
        }
      }),
    [refresh],
  );

  const expire = useCallback(() => setState({ status: 'anonymous', reason: 'expired' }), []);
  const replaceMe = useCallback((me: Me) => setState((s) => (s.status === 'signed-in' ? { status: 'signed-in', me } : s)), []);

  // A session that starts (sign-in, reload, another browser) brings the account's language,
  // or saves the one chosen on the sign-in page.
  const signedInAs = state.status === 'signed-in' ? state.me.id : null;
  useEffect(() => {
    if (state.status !== 'signed-in') return;
    let live = true;
    void syncLanguage(state.me).then((me) => {
      if (me && live) replaceMe(me);
    });
    return () => {
      live = false;
    };
  }, [signedInAs]); // eslint-disable-line react-hooks/exhaustive-deps

  const login = useCallback(async (email: string, password: string) => {
    const res = await call(api.POST('/api/v1/auth/login', { body: { email, password } }));
    resetCsrfToken(); // the server renews the token with the session
    if (res.second_factor_required || !res.me) {
      setState({ status: 'pending' });
      return 'second-factor' as const;
    }
    setState({ status: 'signed-in', me: res.me });
    return 'done' as const;
  }, []);

  const secondFactor = useCallback(async (input: { code: string } | { recovery_code: string }) => {
    const me = await call(api.POST('/api/v1/auth/second-factor', { body: input }));
    resetCsrfToken();
    setState({ status: 'signed-in', me });
    return me;
  }, []);

  const logout = useCallback(async () => {
    try {
      await call(api.POST('/api/v1/auth/logout'));
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 401) throw e;
    } finally {
      resetCsrfToken();
    }
    setState({ status: 'anonymous', reason: 'signed-out' });
  }, []);

  const value = useMemo(
    () => ({ state, refresh, login, secondFactor, logout, expire, replaceMe }),
    [state, refresh, login, secondFactor, logout, expire, replaceMe],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

/** The signed-in person (only inside pages behind RequireSession). */
export function useMe(): Me {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe without a signed-in session');
  return state.me;
}

export function tenantsOf(me: Me): TenantRef[] {
  return me.tenants ?? [];
}

/** Why a tenant cannot be entered, if it cannot. */
export function tenantBlock(me: Me, t: TenantRef): 'deactivated' | 'enrolment' | null {
  if (t.status === 'deactivated') return 'deactivated';
  if (!t.usable && t.totp_required && !me.totp_enabled) return 'enrolment';
  if (!t.usable) return 'deactivated';
  return null;
}

const LAST_TENANT = 'kollab.tenant';

export function rememberTenant(slug: string): void {
  try {
    sessionStorage.setItem(LAST_TENANT, slug);
  } catch {
    /* storage blocked */
  }
}

/** The tenant to open: the last one used in this tab if still usable, else the first usable one. */
export function preferredTenant(me: Me): TenantRef | undefined {
  const ts = tenantsOf(me);
  let last: string | null = null;
  try {
    last = sessionStorage.getItem(LAST_TENANT);
  } catch {
    /* storage blocked */
  }
  return ts.find((t) => t.slug === last && t.usable) ?? ts.find((t) => t.usable) ?? ts.find((t) => t.slug === last) ?? ts[0];
}
