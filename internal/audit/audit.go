// Package audit keeps the append-only, hash-chained log of security-relevant
// and record-keeping events, one chain per tenant. Each entry stores the
// SHA-256 of its predecessor and of its own canonical content, so changing,
// removing or reordering a row breaks the chain at that row.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
)

// Table is the audit log's table.
const Table = "audit_events"

// GenesisHash is the predecessor hash of a chain's first entry.
var GenesisHash = strings.Repeat("0", 64)

// Actions recorded by the platform.
const (
	ActionLoginSucceeded      = "auth.login.succeeded"
	ActionLoginFailed         = "auth.login.failed"
	ActionSecondFactorFailed  = "auth.second_factor.failed"
	ActionAccountLocked       = "auth.account.locked"
	ActionSignInBraked        = "auth.account.braked"
	ActionRecoveryCodeUsed    = "auth.recovery_code.used"
	ActionLogout              = "auth.logout"
	ActionPasswordChanged     = "auth.password.changed"
	ActionTOTPEnabled         = "auth.totp.enabled"
	ActionTOTPReset           = "auth.totp.reset"
	ActionRecoveryRegenerated = "auth.recovery_codes.regenerated"
	ActionTokenCreated        = "auth.api_token.created"
	ActionTokenRevoked        = "auth.api_token.revoked"
	ActionReauthenticated     = "auth.reauthenticated"
	ActionMemberInvited       = "tenant.member.invited"
	ActionInvitationAccepted  = "tenant.invitation.accepted"
	ActionInvitationRevoked   = "tenant.invitation.revoked"
	ActionInvitationResent    = "tenant.invitation.resent"
	ActionRoleChanged         = "tenant.member.role_changed"
	ActionMemberDeactivated   = "tenant.member.deactivated"
	ActionMemberReactivated   = "tenant.member.reactivated"
	ActionMemberAdded         = "tenant.member.added"
	ActionPolicyChanged       = "tenant.policy.changed"
	ActionGroupCreated        = "tenant.group.created"
	ActionGroupDeleted        = "tenant.group.deleted"
	ActionGroupUpdated        = "tenant.group.updated"
	ActionGroupMemberAdded    = "tenant.group.member_added"
	ActionGroupMemberRemoved  = "tenant.group.member_removed"
	ActionTenantCreated       = "tenant.created"
)

// Event is one stored entry.
type Event struct {
	TenantID    uuid.UUID  `gorm:"column:tenant_id;primaryKey"`
	ID          uuid.UUID  `gorm:"column:id;primaryKey"`
	Seq         int64      `gorm:"column:seq"`
	OccurredAt  time.Time  `gorm:"column:occurred_at"`
	ActorUserID *uuid.UUID `gorm:"column:actor_user_id"`
	ActorLabel  string     `gorm:"column:actor_label"`
	Action      string     `gorm:"column:action"`
	TargetType  string     `gorm:"column:target_type"`
	TargetID    string     `gorm:"column:target_id"`
	ClientIP    string     `gorm:"column:client_ip"`
	RequestID   string     `gorm:"column:request_id"`
	Details     string     `gorm:"column:details"`
	PrevHash    string     `gorm:"column:prev_hash"`
	Hash        string     `gorm:"column:hash"`
}

// OwnerTenant implements db.TenantOwned.
func (e *Event) OwnerTenant() uuid.UUID { return e.TenantID }

// Entry is what a caller records.
type Entry struct {
	Action     string
	TargetType string
	TargetID   string
	Details    map[string]string
	// Actor overrides the request's actor (from Meta) when set.
	Actor      *uuid.UUID
	ActorLabel string
}

// Meta is the request context an event is recorded in.
type Meta struct {
	ActorUserID *uuid.UUID
	ActorLabel  string
	ClientIP    string
	RequestID   string
}

type metaKey struct{}

// WithMeta returns ctx carrying the request's audit metadata.
func WithMeta(ctx context.Context, m Meta) context.Context {
	return context.WithValue(ctx, metaKey{}, m)
}

// MetaFrom returns the audit metadata in ctx (zero if none).
func MetaFrom(ctx context.Context) Meta {
	m, _ := ctx.Value(metaKey{}).(Meta)
	return m
}

// Append records e at the end of the tenant's chain, inside the caller's
// transaction, so that the event commits or rolls back with the action it
// describes. Appends to one tenant's chain are serialised.
func Append(ctx context.Context, tx *db.Tx, e Entry) (*Event, error) {
	if e.Action == "" {
		return nil, fmt.Errorf("audit: empty action")
	}
	meta := MetaFrom(ctx)
	ev := &Event{
		TenantID:    tx.TenantID(),
		ID:          db.NewID(),
		OccurredAt:  db.Now(),
		ActorUserID: meta.ActorUserID,
		ActorLabel:  meta.ActorLabel,
		Action:      e.Action,
		TargetType:  e.TargetType,
		TargetID:    e.TargetID,
		ClientIP:    meta.ClientIP,
		RequestID:   meta.RequestID,
		Details:     "{}",
	}
	if e.Actor != nil {
		ev.ActorUserID = e.Actor
	}
	if e.ActorLabel != "" {
		ev.ActorLabel = e.ActorLabel
	}
	if len(e.Details) > 0 {
		b, err := json.Marshal(e.Details) // map keys are sorted: canonical
		if err != nil {
			return nil, err
		}
		ev.Details = string(b)
	}
	// One writer per chain: PostgreSQL serialises on a transaction-scoped
	// advisory lock per tenant; SQLite has a single writer anyway.
	if tx.IsPostgres() {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtextextended('audit:' || @tenant, 0))").Error; err != nil {
			return nil, fmt.Errorf("audit: lock chain: %w", err)
		}
	}
	var head struct {
		Seq  int64
		Hash string
	}
	res := tx.Table(Table).Select("seq, hash").Order("seq DESC").Limit(1).Scan(&head)
	if res.Error != nil {
		return nil, fmt.Errorf("audit: read chain head: %w", res.Error)
	}
	ev.Seq = head.Seq + 1
	ev.PrevHash = head.Hash
	if res.RowsAffected == 0 {
		ev.PrevHash = GenesisHash
	}
	ev.Hash = ComputeHash(ev)
	if err := tx.Create(Table, ev); err != nil {
		return nil, fmt.Errorf("audit: append: %w", err)
	}
	return ev, nil
}

// ComputeHash returns the hash an entry must carry: SHA-256 over its
// predecessor's hash and its own canonical content.
func ComputeHash(ev *Event) string {
	h := sha256.New()
	h.Write([]byte(ev.PrevHash))
	h.Write([]byte{'\n'})
	h.Write(canonical(ev))
	return hex.EncodeToString(h.Sum(nil))
}

// canonical is a fixed-order JSON rendering of every content field.
func canonical(ev *Event) []byte {
	actor := ""
	if ev.ActorUserID != nil {
		actor = ev.ActorUserID.String()
	}
	b, _ := json.Marshal([]any{
		"kollab-audit-v1",
		ev.TenantID.String(),
		ev.ID.String(),
		ev.Seq,
		ev.OccurredAt.UTC().Format(time.RFC3339Nano),
		actor,
		ev.ActorLabel,
		ev.Action,
		ev.TargetType,
		ev.TargetID,
		ev.ClientIP,
		ev.RequestID,
		ev.Details,
	})
	return b
}
