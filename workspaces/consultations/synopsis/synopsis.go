// Package synopsis renders a consultation's synopsis (Synopse): one table
// row per statement and question, as a PDF (go-pdf/fpdf with its core
// fonts in Windows-1252, which covers German text; other characters print
// as "?") and as an OpenDocument text (.odt, written with archive/zip and
// encoding/xml).
package synopsis

import (
	"fmt"
	"strings"

	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/workspaces/consultations"
)

// Renderer implements consultations.Renderer.
type Renderer struct{}

var _ consultations.Renderer = Renderer{}

// column headings of the table.
var headings = [4]string{"Organisation", "Frage", "Stellungnahme", "Eingang"}

// cells is a row's four cells as text.
func cells(r *consultations.SynopsisRow) [4]string {
	q := r.Question
	if q == "" {
		q = "Allgemeine Stellungnahme"
	}
	answer := r.Answer
	if strings.TrimSpace(answer) == "" {
		answer = "–"
	}
	how := "online"
	if r.Channel == consultations.Post {
		how = "per Post"
	}
	return [4]string{r.Organisation, q, answer,
		fmt.Sprintf("%s\n%s, Fassung %d", r.ReceivedAt.In(tenant.Berlin).Format("02.01.2006 15:04"), how, r.Version)}
}

// intro is the lines above the table.
func intro(s *consultations.Synopsis) []string {
	state := map[consultations.State]string{consultations.Draft: "Entwurf", consultations.Open: "offen", consultations.Closed: "abgeschlossen"}[s.State]
	lines := []string{
		"Arbeitsraum: " + s.WorkspaceName,
		"Frist: " + s.Deadline.In(tenant.Berlin).Format("02.01.2006 15:04") + " Uhr (" + state + ")",
		fmt.Sprintf("Stellungnahmen: %d von %d eingeladenen Organisationen", s.Invited-len(s.Missing), s.Invited),
	}
	if len(s.Missing) > 0 {
		lines = append(lines, "Ohne Stellungnahme: "+strings.Join(s.Missing, ", "))
	}
	return append(lines, "Stand: "+s.Made.In(tenant.Berlin).Format("02.01.2006 15:04")+" Uhr")
}
