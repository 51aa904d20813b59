package meetings

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"gorm.io/gorm"
)

// Personal iCalendar feeds: an account's secret token makes a URL
// (/ical/<token>.ics) that lists the meetings of every committee the
// account has a seat in, across all its tenants, for calendar apps that
// cannot sign in. Only the token's SHA-256 is stored (calendar_feeds, one
// per account); creating a new one replaces, and so invalidates, the old.

// FeedTokenPrefix starts every feed token.
const FeedTokenPrefix = "klc_"

const feedsTable = "calendar_feeds"

// FeedPast is how far back a feed lists meetings.
const FeedPast = 183 * 24 * time.Hour

// FeedInfo describes an account's feed without its token.
type FeedInfo struct {
	CreatedAt  time.Time  `gorm:"column:created_at"`
	LastUsedAt *time.Time `gorm:"column:last_used_at"`
}

func feedHash(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// CreateFeedToken creates the account's feed token, replacing any earlier
// one (whose URL stops working at once), and returns it: it is shown once.
func (s *Service) CreateFeedToken(ctx context.Context, userID uuid.UUID) (string, *FeedInfo, error) {
	if userID == uuid.Nil {
		return "", nil, errs.Plain(errs.Unauthenticated)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	tok := FeedTokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	now := s.now()
	err := s.db.GlobalTx(ctx, func(g *gorm.DB) error {
		if err := g.Exec("DELETE FROM calendar_feeds WHERE user_id = ?", userID).Error; err != nil {
			return err
		}
		return g.Exec("INSERT INTO calendar_feeds (user_id, token_hash, created_at) VALUES (?, ?, ?)", userID, feedHash(tok), now).Error
	})
	if err != nil {
		return "", nil, fmt.Errorf("committees: create feed token: %w", err)
	}
	return tok, &FeedInfo{CreatedAt: now}, nil
}

// DeleteFeedToken removes the account's feed token; false when it had none.
func (s *Service) DeleteFeedToken(ctx context.Context, userID uuid.UUID) (bool, error) {
	res := s.db.Global(ctx).Exec("DELETE FROM calendar_feeds WHERE user_id = ?", userID)
	if res.Error != nil {
		return false, fmt.Errorf("committees: delete feed token: %w", res.Error)
	}
	return res.RowsAffected > 0, nil
}

// FeedToken tells whether the account has a feed token (nil: none).
func (s *Service) FeedToken(ctx context.Context, userID uuid.UUID) (*FeedInfo, error) {
	var fs []FeedInfo
	if err := s.db.Global(ctx).Table(feedsTable).Select("created_at, last_used_at").Where("user_id = ?", userID).Scan(&fs).Error; err != nil {
		return nil, fmt.Errorf("committees: read feed token: %w", err)
	}
	if len(fs) == 0 {
		return nil, nil
	}
	return &fs[0], nil
}

// FeedMember is a membership a feed token reads for: active, in a tenant
// whose two-factor policy the token's account meets.
type FeedMember struct {
	TenantID     uuid.UUID `gorm:"column:tenant_id"`
	MembershipID uuid.UUID `gorm:"column:id"`
	TenantSlug   string    `gorm:"column:slug"`
}

// FeedMembers resolves a feed token: the memberships of its account that
// a feed may read (active, in every tenant whose two-factor policy the
// account meets), at most one per tenant, and notes the token's use (to
// the hour). An unknown token answers errs.NotFound. The meetings feed
// (Feed) and the task module's feed of due dates read through it.
func (s *Service) FeedMembers(ctx context.Context, token string) ([]FeedMember, error) {
	if !strings.HasPrefix(token, FeedTokenPrefix) || len(token) > 100 {
		return nil, errNotFound()
	}
	now := s.now()
	var feeds []struct {
		UserID     uuid.UUID  `gorm:"column:user_id"`
		LastUsedAt *time.Time `gorm:"column:last_used_at"`
	}
	if err := s.db.Global(ctx).Table(feedsTable).Select("user_id, last_used_at").Where("token_hash = ?", feedHash(token)).
		Scan(&feeds).Error; err != nil {
		return nil, fmt.Errorf("committees: read feed token: %w", err)
	}
	if len(feeds) == 0 {
		return nil, errNotFound()
	}
	userID := feeds[0].UserID
	if feeds[0].LastUsedAt == nil || now.Sub(*feeds[0].LastUsedAt) >= time.Hour {
		if err := s.db.Global(ctx).Exec("UPDATE calendar_feeds SET last_used_at = ? WHERE user_id = ?", now, userID).Error; err != nil {
			return nil, fmt.Errorf("committees: touch feed token: %w", err)
		}
	}
	var users []struct {
		TOTPEnabledAt *time.Time `gorm:"column:totp_enabled_at"`
	}
	if err := s.db.Global(ctx).Table("users").Select("totp_enabled_at").Where("id = ?", userID).Scan(&users).Error; err != nil {
		return nil, fmt.Errorf("committees: account of feed: %w", err)
	}
	if len(users) == 0 {
		return nil, errNotFound()
	}
	var memberships []struct {
		TenantID     uuid.UUID       `gorm:"column:tenant_id"`
		MembershipID uuid.UUID       `gorm:"column:id"`
		TenantSlug   string          `gorm:"column:slug"`
		Role         tenant.Role     `gorm:"column:role"`
		Settings     tenant.Settings `gorm:"column:settings"`
	}
	if err := s.db.AsUser(ctx, userID, func(g *gorm.DB) error {
		return g.Raw(`SELECT m.tenant_id, m.id, t.slug, m.role, t.settings FROM memberships m JOIN tenants t ON t.id = m.tenant_id
			WHERE m.user_id = ? AND m.status = 'active' ORDER BY m.tenant_id`, userID).Scan(&memberships).Error
	}); err != nil {
		return nil, fmt.Errorf("committees: memberships of feed: %w", err)
	}
	out := []FeedMember{}
	for _, m := range memberships {
		if m.Settings.RequiresTOTP(m.Role) && users[0].TOTPEnabledAt == nil {
			continue // the tenant's two-factor policy keeps this account out, as in the web app
		}
		out = append(out, FeedMember{TenantID: m.TenantID, MembershipID: m.MembershipID, TenantSlug: m.TenantSlug})
	}
	return out, nil
}

// Feed returns the meetings a feed token stands for: every meeting
// (in any state, minutes approved included) starting no earlier than
// FeedPast before now, of every committee in which the token's account
// has a seat with a running term, in every tenant where its membership is
// active and whose two-factor policy the account meets. Each tenant is
// read in its own scoped transaction. An unknown token answers
// errs.NotFound.
func (s *Service) Feed(ctx context.Context, token string) ([]MeetingEvent, error) {
	members, err := s.FeedMembers(ctx, token)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := []MeetingEvent{}
	for _, m := range members {
		err := s.db.Tenant(ctx, m.TenantID, func(tx *db.Tx) error {
			evs, err := feedOfMembership(tx, m.MembershipID, now)
			out = append(out, evs...)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// feedOfMembership reads, in its tenant, the meetings of the committees in
// which the membership has a seat whose term runs at now.
func feedOfMembership(tx *db.Tx, membershipID uuid.UUID, now time.Time) ([]MeetingEvent, error) {
	var ids []uuid.UUID
	err := tx.Raw(`SELECT m.id FROM meetings m
		JOIN committee_members cm ON cm.tenant_id = m.tenant_id AND cm.committee_id = m.committee_id
		WHERE m.tenant_id = @tenant AND cm.membership_id = ? AND `+termRunning+`
		  AND m.starts_at >= ?
		ORDER BY m.starts_at, m.id`, membershipID, now, now, now.Add(-FeedPast)).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("committees: meetings of feed: %w", err)
	}
	return loadMeetingEvents(tx, ids)
}
