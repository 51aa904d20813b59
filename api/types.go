package api

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth"
)

// Response types: never the stored rows themselves.

// TenantRef is one of the caller's tenants.
type TenantRef struct {
	Slug         string `json:"slug"`
	Name         string `json:"name"`
	Role         string `json:"role" enum:"admin,staff,committee,partner"`
	Status       string `json:"status" enum:"active,deactivated"`
	TOTPRequired bool   `json:"totp_required" doc:"The tenant requires a second factor for this role"`
	// Usable is false while the membership is deactivated or the tenant's 2FA policy is not met.
	Usable bool `json:"usable"`
}

// Me is the signed-in person.
type Me struct {
	ID                uuid.UUID   `json:"id"`
	Email             string      `json:"email"`
	DisplayName       string      `json:"display_name"`
	Locale            string      `json:"locale"`
	TOTPEnabled       bool        `json:"totp_enabled"`
	RecoveryCodesLeft int64       `json:"recovery_codes_left"`
	Tenants           []TenantRef `json:"tenants"`
	// MailConfigured tells the web app whether Kollab sends e-mails at all
	// (KOLLAB_SMTP_URL), so that it never claims a mail went out when none did.
	MailConfigured bool `json:"mail_configured" doc:"An SMTP server is configured: invitations and meeting invitations go out by e-mail"`
}

// MemberView is a member in the admin console.
type MemberView struct {
	ID          uuid.UUID `json:"id" doc:"Membership id"`
	UserID      uuid.UUID `json:"user_id"`
	Email       string    `json:"email"`
	DisplayName string    `json:"display_name"`
	Role        string    `json:"role" enum:"admin,staff,committee,partner"`
	Status      string    `json:"status" enum:"active,deactivated"`
	TOTPEnabled bool      `json:"totp_enabled"`
	CreatedAt   time.Time `json:"created_at"`
}

func memberView(m *tenant.Member) MemberView {
	return MemberView{ID: m.ID, UserID: m.UserID, Email: m.Email, DisplayName: m.DisplayName, Role: string(m.Role),
		Status: m.Status, TOTPEnabled: m.TOTPEnabled, CreatedAt: m.CreatedAt}
}

// InvitationView is an invitation in the admin console.
type InvitationView struct {
	ID        uuid.UUID `json:"id"`
	Email     string    `json:"email"`
	Role      string    `json:"role"`
	State     string    `json:"state" enum:"pending,accepted,revoked,expired"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	// AcceptURL is present right after the invitation was created or resent.
	AcceptURL string `json:"accept_url,omitempty"`
	// MailSent and MailConfigured answer the creation and the resend: whether
	// the link went out by e-mail, and whether an SMTP server is set up at
	// all (KOLLAB_SMTP_URL); without one the admin hands the link over.
	MailSent       *bool `json:"mail_sent,omitempty" doc:"The invitation mail was handed to the mail server (only in the answer to create and resend)"`
	MailConfigured *bool `json:"mail_configured,omitempty" doc:"An SMTP server is configured (KOLLAB_SMTP_URL; only in the answer to create and resend)"`
}

func invitationView(i *tenant.Invitation, now time.Time) InvitationView {
	return InvitationView{ID: i.ID, Email: i.Email, Role: string(i.Role), State: i.State(now), CreatedAt: i.CreatedAt, ExpiresAt: i.ExpiresAt}
}

// SettingsView are the tenant's policies.
type SettingsView struct {
	RequireTOTPRoles []string `json:"require_totp_roles" doc:"Roles that must use a second factor"`
	// OParl is left unchanged by a PUT that omits it.
	OParl *OParlSettingsView `json:"oparl,omitempty" doc:"Publication through the read-only OParl 1.1 API (/oparl/v1.1)"`
	// Language is left unchanged by a PUT that omits it.
	Language string `json:"language,omitempty" enum:"de,en" doc:"Default language: mails to people without an account (invitations) are written in it; members' own choice wins for them"`
	// FederalState is left unchanged by a PUT that omits it; "" clears it.
	FederalState *string `json:"federal_state,omitempty" enum:"BW,BY,BE,BB,HB,HH,HE,MV,NI,NW,RP,SL,SN,ST,SH,TH," doc:"Federal state (ISO 3166-2:DE code without DE-) whose public holidays deadlines in working days skip; empty: nationwide holidays only. Always present in answers; a PUT that omits it leaves it"`
}

// OParlSettingsView is a tenant's OParl publication.
type OParlSettingsView struct {
	Public           bool                  `json:"public" doc:"Publish the tenant as an OParl body (its public committees, public agenda items and their frozen papers)"`
	Website          string                `json:"website,omitempty" maxLength:"2000" doc:"The agency's website (absolute http or https URL)"`
	LegislativeTerms []LegislativeTermView `json:"legislative_terms,omitempty" maxItems:"100"`
}

// LegislativeTermView is a legislative term (Wahlperiode).
type LegislativeTermView struct {
	Name  string `json:"name" minLength:"1" maxLength:"200"`
	Start string `json:"start" format:"date" doc:"First day (YYYY-MM-DD)"`
	End   string `json:"end,omitempty" format:"date" doc:"Last day (YYYY-MM-DD); empty while the term runs"`
}

// AuditEntry is one audit log entry.
type AuditEntry struct {
	Seq         int64             `json:"seq"`
	ID          uuid.UUID         `json:"id"`
	OccurredAt  time.Time         `json:"occurred_at"`
	ActorUserID *uuid.UUID        `json:"actor_user_id,omitempty"`
	ActorLabel  string            `json:"actor_label" doc:"The actor's e-mail address when the entry was recorded"`
	Action      string            `json:"action" doc:"The action's key; its labels are in GET /audit/actions"`
	Module      string            `json:"module" doc:"The module the action belongs to"`
	TargetType  string            `json:"target_type"`
	TargetID    string            `json:"target_id"`
	ClientIP    string            `json:"client_ip"`
	RequestID   string            `json:"request_id"`
	Details     map[string]string `json:"details"`
	Hash        string            `json:"hash"`
	Verified    bool              `json:"verified" doc:"The entry's link in the hash chain verifies"`
	Actor       *AuditObject      `json:"actor,omitempty" doc:"The acting person by their current name; absent when the system acted"`
	Object      *AuditObject      `json:"object,omitempty" doc:"The object the entry is about, by its current name"`
	Related     []AuditRelated    `json:"related,omitempty" doc:"Further objects the entry's details name"`
}

// AuditObject is an object an audit entry names, resolved within the tenant.
type AuditObject struct {
	Type  string     `json:"type" doc:"Object type; its labels are in GET /audit/actions"`
	ID    string     `json:"id"`
	Name  string     `json:"name" doc:"Current name; for a deleted object the last name the log recorded (may be empty)"`
	Email string     `json:"email,omitempty" doc:"A person's e-mail address"`
	State string     `json:"state,omitempty" enum:"live,trashed,deleted" doc:"Absent for objects without a name (sessions)"`
	Link  *AuditLink `json:"link,omitempty" doc:"Where the web app shows the object"`
}

// AuditLink is a page of the web app.
type AuditLink struct {
	Kind string `json:"kind" enum:"document,folder,trash,committee,meeting,poll,member,invitations,tokens"`
	ID   string `json:"id,omitempty" doc:"The object's id on that page; absent for a list page"`
}

// AuditRelated is an object named in an entry's details.
type AuditRelated struct {
	Key string `json:"key" doc:"The detail that names it"`
	AuditObject
}

func auditObject(r *audit.Ref) *AuditObject {
	if r == nil {
		return nil
	}
	o := &AuditObject{Type: r.Type, ID: r.ID, Name: r.Name, Email: r.Email, State: r.State}
	if r.Link != nil {
		o.Link = &AuditLink{Kind: r.Link.Kind, ID: r.Link.ID}
	}
	return o
}

func auditEntry(e *audit.Listed, n audit.Names) AuditEntry {
	details := map[string]string{}
	_ = json.Unmarshal([]byte(e.Details), &details)
	module, _, _ := strings.Cut(e.Action, ".")
	out := AuditEntry{Seq: e.Seq, ID: e.ID, OccurredAt: e.OccurredAt, ActorUserID: e.ActorUserID, ActorLabel: e.ActorLabel,
		Action: e.Action, Module: module, TargetType: e.TargetType, TargetID: e.TargetID, ClientIP: e.ClientIP, RequestID: e.RequestID,
		Details: details, Hash: e.Hash, Verified: e.Verified, Actor: auditObject(n.Actor), Object: auditObject(n.Target)}
	for i := range n.Related {
		out.Related = append(out.Related, AuditRelated{Key: n.Related[i].Key, AuditObject: *auditObject(&n.Related[i].Ref)})
	}
	return out
}

// AuditLabel is a label in German and English.
type AuditLabel struct {
	DE string `json:"de"`
	EN string `json:"en"`
}

// AuditModule is a module of the audit catalogue.
type AuditModule struct {
	Key   string     `json:"key"`
	Label AuditLabel `json:"label"`
}

// AuditAction is an action of the audit catalogue.
type AuditAction struct {
	Key    string     `json:"key"`
	Module string     `json:"module"`
	Label  AuditLabel `json:"label"`
}

// AuditType is an object type of the audit catalogue.
type AuditType struct {
	Key   string     `json:"key"`
	Label AuditLabel `json:"label"`
}

// SessionView is one of the caller's sessions.
type SessionView struct {
	ID         uuid.UUID `json:"id"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	UserAgent  string    `json:"user_agent"`
	ClientIP   string    `json:"client_ip"`
	Current    bool      `json:"current"`
}

// TokenView is a personal API token (without its secret).
type TokenView struct {
	ID         uuid.UUID  `json:"id"`
	Name       string     `json:"name"`
	Scope      string     `json:"scope" enum:"read,write,admin" doc:"read: GET and HEAD only; write: no admin routes; admin: the owner's admin role"`
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

func tokenView(t *auth.APIToken) TokenView {
	return TokenView{ID: t.ID, Name: t.Name, Scope: string(t.Scope), CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt, LastUsedAt: t.LastUsedAt}
}

// GroupView is a group.
type GroupView struct {
	ID          uuid.UUID `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	MemberCount int64     `json:"member_count"`
	// GrantCount is given by get-group only.
	GrantCount *int64    `json:"grant_count,omitempty" doc:"Folder permissions granted to the group (get-group only); deleting the group removes them"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}
