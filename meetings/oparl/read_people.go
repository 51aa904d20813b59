package oparl

// Loaders of committees (Organization), their seats (Membership) and
// the people holding them (Person).

import (
	"fmt"
	"time"

	"github.com/google/uuid"
)

// --- Organization ---------------------------------------------------------

type organizationRow struct {
	ID       uuid.UUID `gorm:"column:id"`
	Name     string    `gorm:"column:name"`
	Created  dbTime    `gorm:"column:created"`
	Modified dbTime    `gorm:"column:modified"`
}

func loadOrganizations(r *reader, ids []uuid.UUID) (map[uuid.UUID]any, error) {
	var rows []organizationRow
	if err := r.rows(kinds["organizations"], ids, &rows); err != nil {
		return nil, err
	}
	var seats []struct {
		ID          uuid.UUID `gorm:"column:id"`
		CommitteeID uuid.UUID `gorm:"column:committee_id"`
	}
	if err := r.tx.Table("committee_members").Select("id, committee_id").Where("committee_id IN ?", ids).
		Order("id").Scan(&seats).Error; err != nil {
		return nil, fmt.Errorf("oparl: read seats: %w", err)
	}
	out := map[uuid.UUID]any{}
	for _, row := range rows {
		o := Organization{ID: r.u.obj("organizations", row.ID), Type: Schema + "Organization", Body: r.u.body, Name: row.Name,
			Membership: []string{}, Meeting: r.u.obj("organizations", row.ID) + "/meetings", OrganizationType: "Gremium",
			Created: stamp(row.Created.T), Modified: stamp(row.Modified.T)}
		for _, s := range seats {
			if s.CommitteeID == row.ID {
				o.Membership = append(o.Membership, r.u.obj("memberships", s.ID))
			}
		}
		out[row.ID] = o
	}
	return out, nil
}

// --- Membership and Person ------------------------------------------------

type membershipRow struct {
	ID           uuid.UUID `gorm:"column:id"`
	MembershipID uuid.UUID `gorm:"column:membership_id"`
	CommitteeID  uuid.UUID `gorm:"column:committee_id"`
	Role         string    `gorm:"column:role"`
	Voting       bool      `gorm:"column:voting"`
	TermStart    dbTime    `gorm:"column:term_start"`
	TermEnd      dbTime    `gorm:"column:term_end"`
	Created      dbTime    `gorm:"column:created"`
	Modified     dbTime    `gorm:"column:modified"`
}

// roleNames are the committee roles as OParl shows them.
var roleNames = map[string]string{"chair": "Vorsitz", "deputy_chair": "Stellvertretender Vorsitz", "secretary": "Schriftführung",
	"member": "Mitglied", "deputy_member": "Stellvertretendes Mitglied", "advisory": "Beratendes Mitglied"}

func (r *reader) membership(row membershipRow, embedded bool) Membership {
	m := Membership{ID: r.u.obj("memberships", row.ID), Type: Schema + "Membership", Organization: r.u.obj("organizations", row.CommitteeID),
		Role: roleNames[row.Role], VotingRight: row.Voting, StartDate: dateOf(row.TermStart.T),
		Created: stamp(row.Created.T), Modified: stamp(row.Modified.T)}
	if m.Role == "" {
		m.Role = row.Role
	}
	if !embedded {
		m.Person = r.u.obj("persons", row.MembershipID)
	}
	if row.TermEnd.Valid {
		// The term ends before term_end: its last day is the day of the last moment before it.
		m.EndDate = dateOf(row.TermEnd.T.Add(-time.Microsecond))
	}
	return m
}

func loadMemberships(r *reader, ids []uuid.UUID) (map[uuid.UUID]any, error) {
	var rows []membershipRow
	if err := r.rows(kinds["memberships"], ids, &rows); err != nil {
		return nil, err
	}
	out := map[uuid.UUID]any{}
	for _, row := range rows {
		out[row.ID] = r.membership(row, false)
	}
	return out, nil
}

type personRow struct {
	ID       uuid.UUID `gorm:"column:id"`
	Name     string    `gorm:"column:name"`
	Created  dbTime    `gorm:"column:created"`
	Modified dbTime    `gorm:"column:modified"`
}

func loadPersons(r *reader, ids []uuid.UUID) (map[uuid.UUID]any, error) {
	var rows []personRow
	if err := r.rows(kinds["persons"], ids, &rows); err != nil {
		return nil, err
	}
	var seats []membershipRow
	if err := r.where(kinds["memberships"], "x.membership_id IN ?", &seats, ids); err != nil {
		return nil, err
	}
	out := map[uuid.UUID]any{}
	for _, row := range rows {
		p := Person{ID: r.u.obj("persons", row.ID), Type: Schema + "Person", Body: r.u.body, Name: row.Name, Membership: []Membership{},
			Created: stamp(row.Created.T), Modified: stamp(row.Modified.T)}
		for _, s := range seats {
			if s.MembershipID == row.ID {
				p.Membership = append(p.Membership, r.membership(s, true))
			}
		}
		out[row.ID] = p
	}
	return out, nil
}
