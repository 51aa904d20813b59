package contacts

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/emersion/go-vcard"
	"github.com/kollab/kollab/internal/errs"
)

// The vCard file (RFC 6350, version 4.0 written, 3.0 and 4.0 read): an
// organisation is a card of KIND:org (FN and ORG its name, ADR, EMAIL,
// TEL, URL, NOTE; its kind in X-KOLLAB-KIND); a contact person is a card
// of KIND:individual (or no KIND) with N (family, given, prefixes
// salutation and title), TITLE (function), EMAIL, TEL, NOTE, and the
// organisation in ORG with its address in ADR (TYPE=work). Structured
// values (N, ADR, ORG) cannot carry ";": it becomes ",".

// kindProperty carries an organisation's kind.
const kindProperty = "X-KOLLAB-KIND"

// salutations are the words an N prefix is taken as a salutation for.
var salutations = map[string]bool{"frau": true, "herr": true, "divers": true, "mr": true, "mr.": true, "mrs": true, "mrs.": true,
	"ms": true, "ms.": true, "mx": true, "mx.": true}

// unescape takes off the escapes go-vcard leaves in place (RFC 6350 3.4).
func unescape(s string) string { return strings.ReplaceAll(s, `\;`, ";") }

// value is a card's preferred value of a property (work addresses first).
func value(c vcard.Card, key string) string {
	for _, f := range c[key] {
		if f.Params.HasType(vcard.TypeWork) {
			return unescape(f.Value)
		}
	}
	return unescape(c.PreferredValue(key))
}

func component(s string) string { return strings.TrimSpace(strings.TrimSuffix(s, `\`)) }

// cardRecord reads one card.
func cardRecord(c vcard.Card, row int) record {
	rec := record{row: row}
	org := c.PreferredValue(vcard.FieldOrganization)
	org, _, _ = strings.Cut(org, ";")
	rec.org.Name = component(unescape(org))
	if a := workAddress(c); a != nil {
		rec.org.Street, rec.org.Postcode = component(a.StreetAddress), component(a.PostalCode)
		rec.org.City, rec.org.Country = component(a.Locality), component(a.Country)
	}
	switch strings.ToLower(c.Value(vcard.FieldKind)) {
	case string(vcard.KindOrganization), "organization":
		if rec.org.Name == "" {
			rec.org.Name = value(c, vcard.FieldFormattedName)
		}
		rec.org.Kind = Kind(c.Value(kindProperty))
		rec.org.Email, rec.org.Phone = value(c, vcard.FieldEmail), value(c, vcard.FieldTelephone)
		rec.org.Website, rec.org.Notes = value(c, vcard.FieldURL), value(c, vcard.FieldNote)
	case "", string(vcard.KindIndividual):
		rec.contact = cardContact(c)
		if rec.org.Name == "" {
			rec.err = errs.InvalidField("organisation", errs.M("contacts.vcard-no-org", "Eine Kontaktperson braucht ihre Organisation (ORG).",
				"A contact person needs their organisation (ORG)."))
		}
	default:
		rec.err = errs.InvalidField("kind", errs.M("contacts.vcard-kind", "Nur Karten von Organisationen (KIND:org) und Personen (KIND:individual) werden übernommen.",
			"Only cards of organisations (KIND:org) and people (KIND:individual) are taken."))
	}
	return rec
}

func workAddress(c vcard.Card) *vcard.Address {
	as := c.Addresses()
	for _, a := range as {
		if a.Params.HasType(vcard.TypeWork) {
			return a
		}
	}
	if len(as) > 0 {
		return as[0]
	}
	return nil
}

// cardContact reads a person's card.
func cardContact(c vcard.Card) *ContactInput {
	in := &ContactInput{Email: value(c, vcard.FieldEmail), Phone: value(c, vcard.FieldTelephone), Notes: value(c, vcard.FieldNote),
		Function: value(c, vcard.FieldTitle)}
	if in.Function == "" {
		in.Function = value(c, vcard.FieldRole)
	}
	if n := c.Name(); n != nil {
		in.FamilyName, in.GivenName = component(n.FamilyName), component(n.GivenName)
		// "Frau,Dr." (two values) or "Frau Dr." (one): a salutation first, the title after it.
		prefixes := strings.Fields(strings.ReplaceAll(component(n.HonorificPrefix), ",", " "))
		if len(prefixes) > 0 && salutations[strings.ToLower(prefixes[0])] {
			in.Salutation, prefixes = prefixes[0], prefixes[1:]
		}
		in.Title = strings.Join(prefixes, " ")
	}
	if in.FamilyName == "" && in.GivenName == "" {
		in.FamilyName = value(c, vcard.FieldFormattedName)
	}
	return in
}

// parseVCards reads the cards of a file.
func parseVCards(data []byte) ([]record, error) {
	dec := vcard.NewDecoder(bytes.NewReader(data))
	var out []record
	for {
		c, err := dec.Decode()
		if errors.Is(err, io.EOF) {
			if len(out) == 0 {
				return nil, errVCard(1)
			}
			return out, nil
		}
		if err != nil {
			return nil, errVCard(len(out) + 1)
		}
		if len(out) == MaxImportRows {
			return nil, errTooManyRows()
		}
		out = append(out, cardRecord(c, len(out)+1))
	}
}

func errVCard(n int) error {
	return errFile(errs.M("contacts.vcard-unreadable", "Die vCard-Datei ist bei Karte %d nicht lesbar (BEGIN:VCARD … END:VCARD).",
		"The vCard file cannot be read at card %d (BEGIN:VCARD … END:VCARD).").Format(n))
}

// structured makes a value fit a component of N, ADR or ORG.
func structured(s string) string { return strings.ReplaceAll(s, ";", ",") }

func add(c vcard.Card, key, v string, typ string) {
	if v == "" {
		return
	}
	f := &vcard.Field{Value: v, Params: vcard.Params{}}
	if typ != "" {
		f.Params.Set(vcard.ParamType, typ)
	}
	c.Add(key, f)
}

func orgAddress(c vcard.Card, o *Organisation) {
	if o.Street == "" && o.Postcode == "" && o.City == "" && o.Country == "" {
		return
	}
	a := &vcard.Address{Field: &vcard.Field{Params: vcard.Params{}}, StreetAddress: structured(o.Street), PostalCode: structured(o.Postcode),
		Locality: structured(o.City), Country: structured(o.Country)}
	a.Params.Set(vcard.ParamType, vcard.TypeWork)
	c.AddAddress(a)
}

// organisationCard is an organisation as a card.
func organisationCard(o *Organisation) vcard.Card {
	c := vcard.Card{}
	c.SetValue(vcard.FieldVersion, "4.0")
	c.SetKind(vcard.KindOrganization)
	c.SetValue(vcard.FieldUID, "urn:uuid:"+o.ID.String())
	c.SetValue(vcard.FieldFormattedName, o.Name)
	c.SetValue(vcard.FieldOrganization, structured(o.Name))
	c.SetValue(kindProperty, string(o.Kind))
	orgAddress(c, o)
	add(c, vcard.FieldEmail, o.Email, vcard.TypeWork)
	add(c, vcard.FieldTelephone, o.Phone, vcard.TypeWork)
	add(c, vcard.FieldURL, o.Website, "")
	add(c, vcard.FieldNote, o.Notes, "")
	return c
}

// contactCard is a contact person as a card, with the organisation's name and address.
func contactCard(p *Contact, o *Organisation) vcard.Card {
	c := vcard.Card{}
	c.SetValue(vcard.FieldVersion, "4.0")
	c.SetKind(vcard.KindIndividual)
	c.SetValue(vcard.FieldUID, "urn:uuid:"+p.ID.String())
	fn := strings.Join(strings.Fields(p.Title+" "+p.GivenName+" "+p.FamilyName), " ")
	c.SetValue(vcard.FieldFormattedName, fn)
	var prefixes []string
	for _, s := range []string{p.Salutation, p.Title} {
		if s != "" {
			prefixes = append(prefixes, structured(strings.ReplaceAll(s, ",", " ")))
		}
	}
	c.SetName(&vcard.Name{Field: &vcard.Field{}, FamilyName: structured(p.FamilyName), GivenName: structured(p.GivenName),
		HonorificPrefix: strings.Join(prefixes, ",")})
	c.SetValue(vcard.FieldOrganization, structured(o.Name))
	orgAddress(c, o)
	add(c, vcard.FieldTitle, p.Function, "")
	add(c, vcard.FieldEmail, p.Email, vcard.TypeWork)
	add(c, vcard.FieldTelephone, p.Phone, vcard.TypeWork)
	add(c, vcard.FieldNote, p.Notes, "")
	return c
}

// writeVCards writes every organisation's card followed by its people's,
// with content lines folded at 75 octets (RFC 6350, 3.2).
func writeVCards(w io.Writer, orgs []Organisation, people map[string][]Contact) error {
	fw := &foldWriter{w: w}
	enc := vcard.NewEncoder(fw)
	for i := range orgs {
		if err := enc.Encode(organisationCard(&orgs[i])); err != nil {
			return err
		}
		cs := people[orgs[i].ID.String()]
		for j := range cs {
			if err := enc.Encode(contactCard(&cs[j], &orgs[i])); err != nil {
				return err
			}
		}
	}
	return nil
}

// maxLineOctets is the longest content line RFC 6350 (3.2) wants.
const maxLineOctets = 75

// foldWriter folds the content lines written through it: a line longer
// than 75 octets continues on the next line after CRLF and one space,
// split between UTF-8 sequences, never inside one. The encoder writes
// whole lines, each ending in CRLF; a line is held until its end.
type foldWriter struct {
	w    io.Writer
	line []byte
}

func (f *foldWriter) Write(p []byte) (int, error) {
	for i, b := range p {
		f.line = append(f.line, b)
		if b != '\n' {
			continue
		}
		if err := f.flush(); err != nil {
			return i, err
		}
	}
	return len(p), nil
}

// flush writes the held line (ending in LF or CRLF), folded.
func (f *foldWriter) flush() error {
	body := bytes.TrimRight(f.line, "\r\n")
	out := make([]byte, 0, len(body)+len(body)/maxLineOctets*3+2)
	limit := maxLineOctets
	for len(body) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(body[cut]) {
			cut--
		}
		out = append(append(out, body[:cut]...), "\r\n "...)
		body, limit = body[cut:], maxLineOctets-1
	}
	out = append(append(out, body...), "\r\n"...)
	f.line = f.line[:0]
	_, err := f.w.Write(out)
	return err
}
