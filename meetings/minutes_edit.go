package meetings

// Editing the draft minutes: the text fields, under optimistic concurrency.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// cleanMinutesText checks one text field of an edit and returns it trimmed
// (in a new string: the caller's stays as it was).
func cleanMinutesText(field string, p *string) (*string, error) {
	if p == nil {
		return nil, nil
	}
	s, ok := text(*p, MaxMinutesTextLen)
	if !ok {
		return nil, errs.InvalidField(field, errs.M("meetings.text-minutes-may-most-20000", "Ein Text der Niederschrift darf höchstens 20000 Zeichen lang sein.", "A text of the minutes may be at most 20000 characters long."))
	}
	return &s, nil
}

// validate checks and trims the edit; in must be the caller's copy (its
// items cloned).
func (in *MinutesEdit) validate() error {
	var err error
	if in.Preamble, err = cleanMinutesText("preamble", in.Preamble); err != nil {
		return err
	}
	if in.Closing, err = cleanMinutesText("closing", in.Closing); err != nil {
		return err
	}
	if len(in.Items) > maxMinutesItemEdits {
		return errs.InvalidField("items", errs.M("meetings.each-agenda-item-may-appear", "Jeder Tagesordnungspunkt darf nur einmal vorkommen.", "Each agenda item may appear only once."))
	}
	seen := map[uuid.UUID]bool{}
	for i := range in.Items {
		it := &in.Items[i]
		if seen[it.AgendaItemID] {
			return errs.InvalidField("items", errs.M("meetings.each-agenda-item-may-appear", "Jeder Tagesordnungspunkt darf nur einmal vorkommen.", "Each agenda item may appear only once."))
		}
		seen[it.AgendaItemID] = true
		if it.Summary, err = cleanMinutesText("summary", it.Summary); err != nil {
			return err
		}
		if it.Decision, err = cleanMinutesText("decision", it.Decision); err != nil {
			return err
		}
	}
	return nil
}

// UpdateMinutes changes the draft's text fields (admins, chair,
// secretary). ifMatch must be the version last read: a stale one answers
// errs.PreconditionFailed; approved minutes answer errs.Conflict.
func (s *Service) UpdateMinutes(ctx context.Context, a tenant.Actor, meetingID uuid.UUID, ifMatch int64, in MinutesEdit) (*Minutes, error) {
	if ifMatch <= 0 {
		return nil, errIfMatchRequired()
	}
	in.Items = slices.Clone(in.Items)
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Minutes
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		_, sc, err := loadMeeting(tx, a, meetingID, now, "")
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		row, c, err := loadDraft(tx, meetingID, ifMatch)
		if err != nil {
			return err
		}
		if in.Preamble != nil {
			c.Preamble = *in.Preamble
		}
		if in.Closing != nil {
			c.Closing = *in.Closing
		}
		for _, e := range in.Items {
			i := slices.IndexFunc(c.Items, func(it MinutesItem) bool { return it.AgendaItemID == e.AgendaItemID })
			if i < 0 {
				return errs.InvalidField("items", errs.M("meetings.agenda-item-not-part-minutes", "Dieser Tagesordnungspunkt gehört nicht zur Niederschrift.", "This agenda item is not part of the minutes."))
			}
			if e.Summary != nil {
				c.Items[i].Summary = *e.Summary
			}
			if e.Decision != nil {
				c.Items[i].Decision = *e.Decision
			}
		}
		b, err := json.Marshal(c)
		if err != nil {
			return fmt.Errorf("committees: encode minutes: %w", err)
		}
		n, err := exec(tx, `UPDATE meeting_minutes SET content = ?, version = version + 1, updated_at = ?, updated_by = ?
			WHERE tenant_id = @tenant AND id = ? AND version = ? AND state = ?`, string(b), now, a.MembershipID, row.ID, ifMatch, DraftMinutes)
		if err != nil {
			return err
		}
		if n != 1 {
			return errs.Plain(errs.PreconditionFailed)
		}
		if err := record(ctx, tx, a, ActionMinutesEdited, "meeting", meetingID,
			map[string]string{"minutes_id": row.ID.String(), "version": fmt.Sprint(ifMatch + 1)}); err != nil {
			return err
		}
		if row, err = loadMinutes(tx, meetingID, false); err != nil {
			return err
		}
		out, err = readMinutes(tx, row, sc)
		return err
	})
	return out, err
}
