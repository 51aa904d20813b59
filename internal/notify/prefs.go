package notify

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
)

// Preference is a person's mode for one kind.
type Preference struct {
	Kind  string
	Label Text
	Mode  Mode
	// Default is the mode without a choice.
	Default Mode
}

// PreferenceInput is one choice to store.
type PreferenceInput struct {
	Kind, Mode string
}

type prefRow struct {
	TenantID     uuid.UUID `gorm:"column:tenant_id"`
	MembershipID uuid.UUID `gorm:"column:membership_id"`
	Kind         string    `gorm:"column:kind"`
	Mode         string    `gorm:"column:mode"`
	UpdatedAt    time.Time `gorm:"column:updated_at"`
}

// Preferences lists every kind with the actor's mode for it.
func (s *Service) Preferences(ctx context.Context, a Actor) ([]Preference, error) {
	me, err := person(a)
	if err != nil {
		return nil, err
	}
	var out []Preference
	err = a.Run(ctx, s.db, func(tx *db.Tx) error {
		out, err = preferences(tx, me)
		return err
	})
	return out, err
}

func preferences(tx *db.Tx, me uuid.UUID) ([]Preference, error) {
	var rows []prefRow
	if err := tx.Table(prefsTable).Where("membership_id = ?", me).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("notify: preferences: %w", err)
	}
	set := map[string]Mode{}
	for _, r := range rows {
		set[r.Kind] = Mode(r.Mode)
	}
	out := make([]Preference, 0, len(kinds))
	for _, k := range kinds {
		m, ok := set[k.Key]
		if !ok {
			m = k.Default
		}
		out = append(out, Preference{Kind: k.Key, Label: k.Label, Mode: m, Default: k.Default})
	}
	return out, nil
}

// SetPreferences stores the actor's choices (kinds not named keep
// theirs) and returns every kind with its mode. An unknown kind or mode
// is refused and nothing changes.
func (s *Service) SetPreferences(ctx context.Context, a Actor, in []PreferenceInput) ([]Preference, error) {
	me, err := person(a)
	if err != nil {
		return nil, err
	}
	if len(in) > len(kinds) {
		return nil, errs.InvalidField("preferences", errs.M("notify.too-many-preferences", "Es wurden mehr Einstellungen gesendet, als es Arten gibt.", "More preferences were sent than there are kinds."))
	}
	seen := map[string]bool{}
	for _, p := range in {
		if _, ok := kindInfo(p.Kind); !ok || seen[p.Kind] {
			return nil, errs.InvalidField("preferences", errs.M("notify.unknown-kind", "Eine Art von Benachrichtigung ist unbekannt oder doppelt.", "A kind of notification is unknown or given twice."))
		}
		if _, ok := ParseMode(p.Mode); !ok {
			return nil, errs.InvalidField("preferences", errs.M("notify.unknown-mode", "Erlaubt sind „immediate“, „daily“ und „never“.", "Allowed are \"immediate\", \"daily\" and \"never\"."))
		}
		seen[p.Kind] = true
	}
	var out []Preference
	err = a.Run(ctx, s.db, func(tx *db.Tx) error {
		now := s.now()
		changed := []string{}
		for _, p := range in { // bounded by len(kinds)
			n, err := tx.ExecCount(`INSERT INTO notification_preferences (tenant_id, membership_id, kind, mode, updated_at)
				VALUES (@tenant, ?, ?, ?, ?)
				ON CONFLICT (tenant_id, membership_id, kind) DO UPDATE SET mode = excluded.mode, updated_at = excluded.updated_at
				WHERE notification_preferences.mode <> excluded.mode`, me, p.Kind, p.Mode, now)
			if err != nil {
				return fmt.Errorf("notify: set preference: %w", err)
			}
			if n > 0 {
				changed = append(changed, p.Kind+"="+p.Mode)
			}
		}
		if len(changed) > 0 {
			sort.Strings(changed)
			if err := a.Record(ctx, tx, ActionPreferencesUpdated, TargetMembership, me,
				map[string]string{"preferences": strings.Join(changed, ", ")}); err != nil {
				return err
			}
		}
		out, err = preferences(tx, me)
		return err
	})
	return out, err
}
