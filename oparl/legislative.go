package oparl

import (
	"github.com/gofiber/fiber/v2"
	"github.com/kollab/kollab/tenant"
)

// Legislative terms are tenant-level: an admin lists them in the tenant
// settings (oparl.legislative_terms: name, first and last day), and each is
// identified by its first day, which stays stable when others are added.
// Committee seats have terms of their own, but those are individual
// (Amtszeiten), not the body's electoral periods, so they are not used.
// OParl asks for at least one term: a tenant that lists none shows one
// open term, "current", from the day the tenant was created.

// currentTerm is the id of the term shown when the settings list none.
const currentTerm = "current"

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
			id = currentTerm
		}
		out[i] = LegislativeTerm{ID: u.obj("legislative-terms", id), Type: Schema + "LegislativeTerm", Name: lt.Name,
			StartDate: lt.Start, EndDate: lt.End, Created: stamp(t.CreatedAt), Modified: stamp(t.UpdatedAt)}
		if !embedded {
			out[i].Body = u.body
		}
	}
	return out
}

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
	var all []any
	for _, lt := range legislativeTerms(u, t, false) {
		if p.matches(t.CreatedAt, t.UpdatedAt) {
			all = append(all, lt)
		}
	}
	return s.writeSlice(c, u.list("legislative-terms"), p, all)
}

func (s *Server) term(c *fiber.Ctx) error {
	t, err := s.publisher(c)
	if err != nil {
		return s.fail(c, err)
	}
	u := s.urlsFor(c, t.ID)
	want := u.obj("legislative-terms", c.Params("id"))
	for _, lt := range legislativeTerms(u, t, false) {
		if lt.ID == want {
			return writeJSON(c, lt)
		}
	}
	return writeProblem(c, errNotFound)
}
