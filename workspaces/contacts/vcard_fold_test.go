package contacts_test

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/emersion/go-vcard"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/workspaces/contacts"
)

// Exported vCards fold content lines at 75 octets (RFC 6350, 3.2), never
// inside a UTF-8 sequence, and a reader that unfolds gets the long values
// back unchanged.
func TestVCardExportFoldsLongLines(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		long := strings.Repeat("Überörtliche Straßenplanung – Schöneberg; ", 12)
		in := stadtwerke
		in.Notes = long
		_ = must(w.svc.CreateOrganisation(ctx, w.a.admin, in))
		ex := must(w.svc.Export(ctx, w.a.admin, contacts.VCard))
		folded := 0
		for _, line := range strings.Split(strings.TrimSuffix(string(ex.Data), "\r\n"), "\r\n") {
			if len(line) > 75 || !utf8.ValidString(line) {
				t.Fatalf("line of %d octets (valid UTF-8: %v): %q", len(line), utf8.ValidString(line), line)
			}
			if strings.HasPrefix(line, " ") {
				folded++
			}
		}
		if folded < len(long)/75 {
			t.Fatalf("only %d continuation lines", folded)
		}
		card, err := vcard.NewDecoder(bytes.NewReader(ex.Data)).Decode()
		if err != nil {
			t.Fatal(err)
		}
		if got := card.Value(vcard.FieldNote); got != strings.TrimSpace(long) && got != long {
			t.Fatalf("note after unfolding: %q", got)
		}
	})
}
