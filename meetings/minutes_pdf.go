package meetings

// Rendering minutes and decision extracts for download, and their titles.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/meetings/publication"
	"github.com/kollab/kollab/tenant"
)

// MinutesRenderer renders minutes and decision extracts as PDF
// (meetings/render implements it; internal/app wires it in).
type MinutesRenderer interface {
	// MinutesPDF renders minutes: the draft marked as such on every page.
	MinutesPDF(d *MinutesDocument) ([]byte, error)
	// DecisionExtractPDF renders the decision extract (Beschlussauszug)
	// of one item of approved minutes.
	DecisionExtractPDF(d *MinutesDocument, item *MinutesItem) ([]byte, error)
}

// MinutesDocument is minutes as a rendering shows them: their content,
// state and dates (a rendering writes these dates only, so the same
// minutes always give the same bytes).
type MinutesDocument struct {
	Content    *MinutesContent
	State      MinutesState
	Version    int64
	UpdatedAt  time.Time
	ApprovedAt *time.Time
	// PublicOnly marks the public part (publicPart): Content holds the
	// public items only.
	PublicOnly bool
}

// publicPart is the public part of minutes: their public items only
// (publication.ItemPublic; the minutes hold accepted items only).
func publicPart(c *MinutesContent) *MinutesContent {
	p := *c
	p.Items = slices.DeleteFunc(slices.Clone(c.Items), func(it MinutesItem) bool { return !publication.ItemPublic(string(Accepted), it.Public) })
	return &p
}

// document is the row's minutes with content c as a rendering shows them.
func (r *minutesRow) document(c *MinutesContent, publicOnly bool) *MinutesDocument {
	return &MinutesDocument{Content: c, State: r.State, Version: r.Version, UpdatedAt: r.UpdatedAt, ApprovedAt: r.ApprovedAt, PublicOnly: publicOnly}
}

// PDF is a rendered document.
type PDF struct {
	FileName string
	Data     []byte
	// Approved is false for a draft (marked as such on every page).
	Approved bool
}

// MinutesPDF renders a meeting's minutes (who may read them: see Minutes):
// the draft marked as such, or the approved minutes exactly as filed.
// publicOnly leaves out the non-public agenda items (the full version
// marks them as non-public).
func (s *Service) MinutesPDF(ctx context.Context, a tenant.Actor, meetingID uuid.UUID, publicOnly bool) (*PDF, error) {
	var row *minutesRow
	var c *MinutesContent
	err := s.run(ctx, a, func(tx *db.Tx) error {
		var err error
		if row, _, err = s.minutesOf(ctx, tx, a, meetingID, s.now()); err != nil {
			return err
		}
		c, err = row.content()
		return err
	})
	if err != nil {
		return nil, err
	}
	if publicOnly {
		c = publicPart(c)
	}
	data, err := s.render.MinutesPDF(row.document(c, publicOnly))
	if err != nil {
		return nil, err
	}
	suffix := ""
	if publicOnly {
		suffix = " (öffentlicher Teil)"
	}
	if row.State == DraftMinutes {
		suffix += " (Entwurf)"
	}
	return &PDF{FileName: minutesTitle(c, suffix), Data: data, Approved: row.State == ApprovedMinutes}, nil
}

// DecisionExtractPDF renders the decision extract (Beschlussauszug) of an
// agenda item from the approved minutes: the item, its decision text and
// each poll's wording, result and verdict, with date and committee. Before
// the minutes are approved, and for an item without a poll, it answers
// errs.Conflict.
func (s *Service) DecisionExtractPDF(ctx context.Context, a tenant.Actor, itemID uuid.UUID) (*PDF, error) {
	var row *minutesRow
	var c *MinutesContent
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		it, _, _, err := loadItem(tx, a, itemID, now, "")
		if err != nil {
			return err
		}
		if row, err = loadMinutes(tx, it.MeetingID, false); err != nil {
			return err
		}
		if row == nil || row.State != ApprovedMinutes {
			return errs.New(errs.Conflict, errs.M("meetings.decision-extract-exists-only-once", "Ein Beschlussauszug entsteht erst mit der Genehmigung der Niederschrift.", "A decision extract exists only once the minutes are approved."))
		}
		c, err = row.content()
		return err
	})
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(c.Items, func(it MinutesItem) bool { return it.AgendaItemID == itemID })
	if i < 0 || len(c.Items[i].Polls) == 0 {
		return nil, errs.New(errs.Conflict, errs.M("meetings.no-vote-no-decision-extract", "Zu diesem Tagesordnungspunkt wurde nicht abgestimmt; es gibt keinen Beschlussauszug.", "There was no vote on this agenda item, so it has no decision extract."))
	}
	data, err := s.render.DecisionExtractPDF(row.document(c, false), &c.Items[i])
	if err != nil {
		return nil, err
	}
	return &PDF{FileName: extractTitle(c, &c.Items[i]), Data: data, Approved: true}, nil
}

// cut shortens s to at most max runes.
func cut(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:max-1])) + "…"
}

// fileTitle makes s usable in a document title (which is also a file name).
func fileTitle(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '/' || r == '\\':
			return '-'
		case unicode.IsControl(r):
			return ' '
		}
		return r
	}, s)
}

// minutesTitle is the minutes' document title and file name.
func minutesTitle(c *MinutesContent, suffix string) string {
	head := "Niederschrift " + c.Header.CommitteeName + " " + c.Header.StartsAt.In(tenant.Berlin).Format("2006-01-02") + " "
	tail := suffix + ".pdf"
	room := MaxTitleLen - utf8.RuneCountInString(head) - utf8.RuneCountInString(tail)
	return fileTitle(head + cut(c.Header.MeetingTitle, max(room, 1)) + tail)
}

// extractTitle is a decision extract's file name.
func extractTitle(c *MinutesContent, it *MinutesItem) string { return extractTitleN(c, it, "") }

// extractTitleN is extractTitle with a suffix before ".pdf" (" (2)").
func extractTitleN(c *MinutesContent, it *MinutesItem, suffix string) string {
	return fileTitle(fmt.Sprintf("Beschlussauszug %s %s TOP %d%s.pdf", cut(c.Header.CommitteeName, 200),
		c.Header.StartsAt.In(tenant.Berlin).Format("2006-01-02"), it.Number, suffix))
}
