// The guest endpoints (issue 12), typed by hand until the server's OpenAPI document has
// them: the shapes below are exactly those the API is built to, in the form
// openapi-typescript generates, so that after `npm run gen:api` these types can be
// replaced by Schemas[...] and `guestApi` by `api` without changing a call site.
// Calls go through the same fetch wrapper as `api` (language, CSRF, problems, re-auth).
import createClient from 'openapi-fetch';
import { kollabFetch, type Schemas } from '../api/client';

/** A guest's role in a workspace. */
export type GuestRole = 'member' | 'reader';
export const GUEST_ROLES: readonly GuestRole[] = ['member', 'reader'];

/** WorkspaceMemberView with the fields the guest API adds. */
export type WorkspaceMemberView = Schemas['WorkspaceMemberView'] & {
  /** The member's name (guests may not use the directory); the server leaves it out when empty */
  display_name?: string;
  /** The member is a guest (role partner) */
  guest: boolean;
  /** The membership is active (a deactivated, expired or offboarded one: false) */
  active: boolean;
};

export interface GuestInviteBody {
  email: string;
  role: GuestRole;
  organisation_id?: string;
  /** Last day of access, YYYY-MM-DD */
  expires_on?: string;
}

export interface GuestInviteOutBody {
  /** invited: a mail with a link went out (valid 7 days); added: an active guest is now a member */
  outcome: 'invited' | 'added';
  email: string;
  invitation_id?: string;
  /** Format: date-time */
  invitation_expires_at?: string;
  member?: WorkspaceMemberView;
  /**
   * The new invitation (outcome invited) with its link and whether the mail went out, as
   * the tenant-level invitation answers (the API on branch i12-guests has it).
   */
  invitation?: Schemas['InvitationView'];
}

export interface GuestInvitationView {
  invitation_id: string;
  email: string;
  role: GuestRole;
  /** Membership id */
  invited_by: string;
  /** Format: date-time */
  created_at: string;
  /** Format: date-time */
  expires_at: string;
  /** YYYY-MM-DD */
  guest_expires_on: string;
  organisation_id?: string;
}

export interface GuestInvitationsOutBody {
  invitations: GuestInvitationView[];
}

export type GuestState = 'active' | 'expired' | 'offboarded' | 'deactivated';
export const GUEST_STATES: readonly GuestState[] = ['active', 'expired', 'offboarded', 'deactivated'];

export interface GuestWorkspaceRef {
  id: string;
  name: string;
  role: Schemas['WorkspaceMemberView']['role'];
}

export interface GuestView {
  membership_id: string;
  email: string;
  display_name: string;
  state: GuestState;
  sponsor_id?: string;
  sponsor_name: string;
  organisation_id?: string;
  organisation_name: string;
  /** Format: date-time */
  last_sign_in_at?: string;
  /** Format: date-time */
  expires_at: string;
  /** The last day of access, YYYY-MM-DD */
  expires_on: string;
  /** Format: date-time */
  reminded_at?: string;
  totp_enabled: boolean;
  workspaces: GuestWorkspaceRef[];
  version: number;
}

export interface GuestsOutBody {
  guests: GuestView[];
  truncated: boolean;
}

export interface GuestUpdateBody {
  sponsor_id?: string;
  organisation_id?: string;
}

export interface GuestRenewBody {
  /** YYYY-MM-DD; default 180 days from today, at most 2 years */
  expires_on?: string;
}

type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type NoContent = { headers: { [name: string]: unknown }; content?: never };
type Problem = { headers: { [name: string]: unknown }; content: { 'application/problem+json': Schemas['Problem'] } };
type TenantPath = { tenant: string };
type Op<P, Q, B, R> = {
  parameters: { query?: Q; header?: never; path: P; cookie?: never };
  requestBody: B extends never ? never : { content: { 'application/json': B } };
  responses: R & { default: Problem };
};
type Read<P, Q, R> = {
  parameters: { query?: Q; header?: never; path: P; cookie?: never };
  requestBody?: never;
  responses: R & { default: Problem };
};
type Unused = { put?: never; patch?: never; delete?: never; post?: never; get?: never; options?: never; head?: never; trace?: never };
type Params<P> = { query?: never; header?: never; path?: P; cookie?: never };

/** The guest routes, as openapi-typescript writes `paths`. */
export interface GuestPaths {
  '/api/v1/t/{tenant}/workspaces/{id}/guests': Omit<Unused, 'post'> & {
    parameters: Params<TenantPath & { id: string }>;
    post: Op<TenantPath & { id: string }, never, GuestInviteBody, { 201: Json<GuestInviteOutBody> }>;
  };
  '/api/v1/t/{tenant}/workspaces/{id}/guest-invitations': Omit<Unused, 'get'> & {
    parameters: Params<TenantPath & { id: string }>;
    get: Read<TenantPath & { id: string }, never, { 200: Json<GuestInvitationsOutBody> }>;
  };
  '/api/v1/t/{tenant}/workspaces/{id}/guest-invitations/{invitation}': Omit<Unused, 'delete'> & {
    parameters: Params<TenantPath & { id: string; invitation: string }>;
    delete: Read<TenantPath & { id: string; invitation: string }, never, { 204: NoContent }>;
  };
  '/api/v1/t/{tenant}/guests': Omit<Unused, 'get'> & {
    parameters: Params<TenantPath>;
    get: Read<TenantPath, { scope?: 'all' | 'mine'; stale?: boolean }, { 200: Json<GuestsOutBody> }>;
  };
  '/api/v1/t/{tenant}/guests/{id}': Omit<Unused, 'get' | 'patch'> & {
    parameters: Params<TenantPath & { id: string }>;
    get: Read<TenantPath & { id: string }, never, { 200: Json<GuestView> }>;
    patch: Op<TenantPath & { id: string }, never, GuestUpdateBody, { 200: Json<GuestView> }>;
  };
  '/api/v1/t/{tenant}/guests/{id}/renew': Omit<Unused, 'post'> & {
    parameters: Params<TenantPath & { id: string }>;
    post: Op<TenantPath & { id: string }, never, GuestRenewBody, { 200: Json<GuestView> }>;
  };
  '/api/v1/t/{tenant}/guests/{id}/offboard': Omit<Unused, 'post'> & {
    parameters: Params<TenantPath & { id: string }>;
    post: Op<TenantPath & { id: string }, never, Record<string, never>, { 200: Json<GuestView> }>;
  };
}

/** The client of the guest routes (same fetch wrapper, CSRF token and problem listeners as `api`). */
export const guestApi = createClient<GuestPaths>({
  baseUrl: globalThis.location?.origin ?? '',
  credentials: 'same-origin',
  fetch: kollabFetch(),
});
