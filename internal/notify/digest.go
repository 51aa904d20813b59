package notify

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
	_ "time/tzdata" // Europe/Berlin wherever the binary runs

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
)

var berlin = func() *time.Location {
	l, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err) // cannot happen: time/tzdata is linked in
	}
	return l
}()

const (
	// digestPeople bounds the digests one tenant queues per run.
	digestPeople = 500
	// digestItems bounds the notifications one digest lists.
	digestItems = 20
	// Keep is how long an event and its notifications are kept after
	// their dispatch (read or not); digest records are kept 30 days.
	Keep = 180 * 24 * time.Hour
)

// DigestReport says what one Digest run did.
type DigestReport struct {
	Queued, SkippedTenants int
}

// digestPayload is a queued digest mail.
type digestPayload struct {
	Locale string       `json:"locale"`
	Name   string       `json:"name"`
	Tenant string       `json:"tenant"`
	Day    string       `json:"day"`
	Items  []digestItem `json:"items"`
	More   int64        `json:"more"`
}

type digestItem struct {
	Title string `json:"title"`
	Link  string `json:"link"`
}

// Digest purges what is older than Keep and queues, for the Berlin day before now, one mail per person who
// chose the daily digest for a kind and has unread notifications of it
// from that day. notification_digests makes it once per person and day,
// across restarts and instances.
func (s *Service) Digest(ctx context.Context, now time.Time) (DigestReport, error) {
	var rep DigestReport
	local := now.In(berlin)
	end := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, berlin)
	start := end.AddDate(0, 0, -1)
	day := start.Format("2006-01-02")
	var ids []uuid.UUID
	if err := s.db.Global(ctx).Table("tenants").Order("id").Pluck("id", &ids).Error; err != nil {
		return rep, fmt.Errorf("notify: list tenants: %w", err)
	}
	var firstErr error
	for _, tid := range ids {
		n := 0
		err := s.db.Tenant(ctx, tid, func(tx *db.Tx) error {
			var err error
			n, err = s.digestTenant(tx, day, start.UTC(), end.UTC(), now)
			return err
		})
		if err != nil {
			rep.SkippedTenants++
			if firstErr == nil {
				firstErr = fmt.Errorf("notify: digest of tenant %s: %w", tid, err)
			}
			continue
		}
		rep.Queued += n
	}
	if rep.Queued > 0 && s.mailQueued != nil {
		s.mailQueued()
	}
	return rep, firstErr
}

// dailyWhere selects the unread notifications of the window whose kind
// the person gets as a digest.
var dailyWhere = `n.tenant_id = @tenant AND n.read_at IS NULL AND n.created_at >= @start AND n.created_at < @end
	AND COALESCE((SELECT p.mode FROM notification_preferences p WHERE p.tenant_id = @tenant
		AND p.membership_id = n.membership_id AND p.kind = n.kind), ` + defaultModeSQL("n.kind") + `) = 'daily'`

type digestPerson struct {
	MembershipID uuid.UUID `gorm:"column:membership_id"`
	Email        string    `gorm:"column:email"`
	Name         string    `gorm:"column:display_name"`
	Locale       string    `gorm:"column:locale"`
	Slug         string    `gorm:"column:slug"`
}

func (s *Service) digestTenant(tx *db.Tx, day string, start, end, now time.Time) (int, error) {
	if err := tx.Exec(`DELETE FROM notification_events WHERE tenant_id = @tenant AND dispatched_at < ?`, now.Add(-Keep)).Error; err != nil {
		return 0, fmt.Errorf("notify: purge events: %w", err)
	}
	if err := tx.Exec(`DELETE FROM notification_digests WHERE tenant_id = @tenant AND queued_at < ?`, now.Add(-30*24*time.Hour)).Error; err != nil {
		return 0, fmt.Errorf("notify: purge digests: %w", err)
	}
	win := []any{sql.Named("start", start), sql.Named("end", end), sql.Named("day", day)}
	var people []digestPerson
	if err := tx.Raw(`SELECT m.id AS membership_id, u.email, u.display_name, u.locale, t.slug
		FROM memberships m JOIN users u ON u.id = m.user_id JOIN tenants t ON t.id = m.tenant_id
		WHERE m.tenant_id = @tenant AND m.status = 'active' AND length(u.email) BETWEEN 3 AND 320
		  AND EXISTS (SELECT 1 FROM notifications n WHERE n.tenant_id = @tenant AND n.membership_id = m.id AND `+dailyWhere+`)
		  AND NOT EXISTS (SELECT 1 FROM notification_digests d WHERE d.tenant_id = m.tenant_id AND d.membership_id = m.id AND d.day = @day)
		ORDER BY m.id LIMIT `+fmt.Sprint(digestPeople), win...).Scan(&people).Error; err != nil {
		return 0, fmt.Errorf("notify: digest recipients: %w", err)
	}
	for _, p := range people { // bounded by digestPeople
		if err := s.digestOne(tx, p, day, win, now); err != nil {
			return 0, err
		}
	}
	return len(people), nil
}

func (s *Service) digestOne(tx *db.Tx, p digestPerson, day string, win []any, now time.Time) error {
	args := append([]any{sql.Named("me", p.MembershipID)}, win...)
	var items []digestItem
	if err := tx.Raw(`SELECT CASE WHEN @locale = 'en' THEN e.title_en ELSE e.title_de END AS title, e.link
		FROM notifications n JOIN notification_events e ON e.tenant_id = n.tenant_id AND e.id = n.event_id
		WHERE n.tenant_id = @tenant AND e.tenant_id = @tenant AND n.membership_id = @me AND `+dailyWhere+` ORDER BY n.event_id LIMIT `+fmt.Sprint(digestItems),
		append(args, sql.Named("locale", p.Locale))...).Scan(&items).Error; err != nil {
		return fmt.Errorf("notify: digest items: %w", err)
	}
	var total int64
	if err := tx.Raw(`SELECT count(*) FROM notifications n WHERE n.tenant_id = @tenant AND n.membership_id = @me AND `+dailyWhere, args...).
		Scan(&total).Error; err != nil {
		return fmt.Errorf("notify: digest count: %w", err)
	}
	b, err := json.Marshal(digestPayload{Locale: p.Locale, Name: p.Name, Tenant: p.Slug, Day: day, Items: items,
		More: max(total-int64(len(items)), 0)})
	if err != nil {
		return err
	}
	if err := tx.Exec(`INSERT INTO notification_digests (tenant_id, membership_id, day, queued_at) VALUES (@tenant, ?, ?, ?)`,
		p.MembershipID, day, now).Error; err != nil {
		return fmt.Errorf("notify: digest mark: %w", err)
	}
	if err := tx.Exec(`INSERT INTO mail_outbox (tenant_id, id, kind, recipient, payload, created_at, attempts, next_attempt_at, last_error)
		VALUES (@tenant, ?, ?, ?, ?, ?, 0, ?, '')`, db.NewID(), MailDigest, p.Email, string(b), now, now).Error; err != nil {
		return fmt.Errorf("notify: queue digest: %w", err)
	}
	return nil
}
