package oparl

import (
	"maps"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/kollab/kollab/meetings/publication"
	"github.com/kollab/kollab/tenant"
)

// Legislative terms are tenant-level: an admin lists them in the tenant
// settings (oparl.legislative_terms: name, first and last day), and each is
// identified by its first day, which stays stable when others are added.
// Committee seats have terms of their own, but those are individual
// (Amtszeiten), not the body's electoral periods, so they are not used.
// OParl asks for at least one term: a tenant that lists none shows one
// open term, "current", from the day the tenant was created.

// legislativeTerms renders a tenant's terms; embedded ones (in the body)
// leave out the back-reference.
func legislativeTerms(u urls, t *tenant.Tenant, embedded bool) []LegislativeTerm {
	terms := t.Settings.OParl.LegislativeTerms
	if len(terms) == 0 {
		terms = []tenant.LegislativeTerm{{Name: "Laufende Wahlperiode", Start: dateOf(t.CreatedAt)}}
	}
	out := make([]LegislativeTerm, len(terms))
	for i, lt := range terms {
		id := lt.Start
		if len(t.Settings.OParl.LegislativeTerms) == 0 {
			id = publication.CurrentTerm
		}
		out[i] = LegislativeTerm{ID: u.obj("legislative-terms", id), Type: Schema + "LegislativeTerm", Name: lt.Name,
			StartDate: lt.Start, EndDate: lt.End, Created: stamp(t.CreatedAt), Modified: stamp(t.UpdatedAt)}
		if !embedded {
			out[i].Body = u.body
		}
	}
	return out
}

// A term deleted from the settings of a publishing body is a tombstone
// (package publication records it).

func (s *Server) terms(c *fiber.Ctx) error {
	t, err := s.publisher(c)
	if err != nil {
		return s.fail(c, err)
	}
	p, bad := parseList(c)
	if bad != nil {
		return writeProblem(c, bad)
	}
	u := s.urlsFor(c, t.ID)
	live := legislativeTerms(u, t, false)
	byID := map[string]any{}
	for _, lt := range live {
		if p.matches(t.CreatedAt, t.UpdatedAt) {
			byID[lt.ID] = lt
		}
	}
	if p.modifiedSince != nil {
		err := s.read(c, t, func(r *reader) error {
			ts, err := r.recorded(publication.TypeLegislativeTerm, "1 = 1")
			for _, rec := range ts {
				tomb := r.tombstoneOf("legislative-terms", rec)
				if p.matchesTombstone(tomb) && !slices.ContainsFunc(live, func(lt LegislativeTerm) bool { return lt.ID == tomb.ID }) {
					byID[tomb.ID] = tomb
				}
			}
			return err
		})
		if err != nil {
			return s.fail(c, err)
		}
	}
	// In id order, like every list.
	ids := slices.Sorted(maps.Keys(byID))
	all := make([]any, len(ids))
	for i, id := range ids {
		all[i] = byID[id]
	}
	return s.writeSlice(c, u.list("legislative-terms"), p, all)
}

func (s *Server) term(c *fiber.Ctx) error {
	t, err := s.publisher(c)
	if err != nil {
		return s.fail(c, err)
	}
	u := s.urlsFor(c, t.ID)
	id := strings.Clone(c.Params("id"))
	want := u.obj("legislative-terms", id)
	for _, lt := range legislativeTerms(u, t, false) {
		if lt.ID == want {
			return writeJSON(c, lt)
		}
	}
	var tomb *Tombstone
	err = s.read(c, t, func(r *reader) error {
		ts, err := r.recorded(publication.TypeLegislativeTerm, "object_id = ? AND term = ?", publication.TermUUID(t.ID, id), id)
		if len(ts) == 1 {
			x := r.tombstoneOf("legislative-terms", ts[0])
			tomb = &x
		}
		return err
	})
	if err != nil {
		return s.fail(c, err)
	}
	if tomb == nil {
		return writeProblem(c, errNotFound)
	}
	return writeJSON(c, tomb)
}
