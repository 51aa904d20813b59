package audit

import (
	"context"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
)

// Filter selects entries of one tenant's log, newest first.
type Filter struct {
	ActorUserID *uuid.UUID
	// ActorLabel matches the actor's recorded label (their e-mail address), case-insensitively.
	ActorLabel string
	Action     string // exact action, or a prefix ending in "."
	From, To   time.Time
	// BeforeSeq pages backwards: only entries with seq < BeforeSeq (0: from the newest).
	BeforeSeq int64
	Limit     int
}

// Listed is an entry with its verification state.
type Listed struct {
	Event
	// Verified is true when the entry's own hash matches its content and its
	// predecessor hash matches the stored predecessor.
	Verified bool
}

// MaxLimit caps one page.
const MaxLimit = 200

// List returns one page of entries matching f, each marked with whether its
// link in the chain verifies.
func List(ctx context.Context, tx *db.Tx, f Filter) ([]Listed, error) {
	if f.Limit <= 0 || f.Limit > MaxLimit {
		f.Limit = 50
	}
	q := tx.Table(Table)
	if f.ActorUserID != nil {
		q = q.Where("actor_user_id = ?", *f.ActorUserID)
	}
	if f.ActorLabel != "" {
		q = q.Where("lower(actor_label) = ?", strings.ToLower(f.ActorLabel))
	}
	if f.Action != "" {
		if f.Action[len(f.Action)-1] == '.' {
			q = q.Where("substr(action, 1, ?) = ?", len(f.Action), f.Action)
		} else {
			q = q.Where("action = ?", f.Action)
		}
	}
	if !f.From.IsZero() {
		q = q.Where("occurred_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("occurred_at < ?", f.To.UTC())
	}
	if f.BeforeSeq > 0 {
		q = q.Where("seq < ?", f.BeforeSeq)
	}
	var evs []Event
	if err := q.Order("seq DESC").Limit(f.Limit).Find(&evs).Error; err != nil {
		return nil, err
	}
	// Predecessor hashes of the page in one query.
	var prevSeqs []int64
	for _, e := range evs {
		if e.Seq > 1 {
			prevSeqs = append(prevSeqs, e.Seq-1)
		}
	}
	prev := map[int64]string{}
	if len(prevSeqs) > 0 {
		var rows []struct {
			Seq  int64
			Hash string
		}
		if err := tx.Table(Table).Select("seq, hash").Where("seq IN ?", prevSeqs).Scan(&rows).Error; err != nil {
			return nil, err
		}
		for _, r := range rows {
			prev[r.Seq] = r.Hash
		}
	}
	out := make([]Listed, len(evs))
	for i, e := range evs {
		want := GenesisHash
		if e.Seq > 1 {
			h, ok := prev[e.Seq-1]
			if !ok {
				h = "missing"
			}
			want = h
		}
		out[i] = Listed{Event: e, Verified: e.PrevHash == want && ComputeHash(&evs[i]) == e.Hash}
	}
	return out, nil
}
