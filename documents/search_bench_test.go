package documents_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/tenant/auth/password"
)

// benchWords is the vocabulary of the benchmark's documents: nouns of
// administrative German (with their plurals), words that join them, and
// compounds made of two nouns, drawn with a skewed (Zipf-like) frequency.
var benchNouns = strings.Fields(`Antrag:Anträge Bescheid:Bescheide Beschluss:Beschlüsse Frist:Fristen
	Verlängerung:Verlängerungen Vertrag:Verträge Gemeinderat:Gemeinderäte Sitzung:Sitzungen Haushalt:Haushalte
	Vorhaben:Vorhaben Genehmigung:Genehmigungen Widerspruch:Widersprüche Stellungnahme:Stellungnahmen
	Verordnung:Verordnungen Satzung:Satzungen Gebühr:Gebühren Grundstück:Grundstücke Straße:Straßen Schule:Schulen
	Kindergarten:Kindergärten Feuerwehr:Feuerwehren Friedhof:Friedhöfe Abwasser:Abwässer Wasser:Wässer
	Energie:Energien Verkehr:Verkehre Parkplatz:Parkplätze Radweg:Radwege Spielplatz:Spielplätze Bürger:Bürger
	Verwaltung:Verwaltungen Amt:Ämter Behörde:Behörden Ausschuss:Ausschüsse Kreis:Kreise Förderung:Förderungen
	Zuschuss:Zuschüsse Mittel:Mittel Ausgabe:Ausgaben Einnahme:Einnahmen Rechnung:Rechnungen Prüfung:Prüfungen
	Bericht:Berichte Protokoll:Protokolle Einladung:Einladungen Vorlage:Vorlagen Anfrage:Anfragen Auskunft:Auskünfte
	Akte:Akten Vorgang:Vorgänge Verfahren:Verfahren Planung:Planungen Bebauung:Bebauungen Umwelt:Umwelten
	Denkmal:Denkmäler Lärm:Lärm Baum:Bäume Wald:Wälder Brücke:Brücken Gebäude:Gebäude Sanierung:Sanierungen
	Neubau:Neubauten Kosten:Kosten Angebot:Angebote Vergabe:Vergaben Auftrag:Aufträge Firma:Firmen Stelle:Stellen
	Ausschreibung:Ausschreibungen Termin:Termine Schreiben:Schreiben Mitteilung:Mitteilungen Hinweis:Hinweise
	Anlage:Anlagen Plan:Pläne Karte:Karten Liste:Listen Übersicht:Übersichten Entwurf:Entwürfe Fassung:Fassungen
	Änderung:Änderungen Ergänzung:Ergänzungen Erlass:Erlasse Richtlinie:Richtlinien Gesetz:Gesetze Recht:Rechte
	Pflicht:Pflichten Zuständigkeit:Zuständigkeiten Gemeinde:Gemeinden Ortsteil:Ortsteile Einwohner:Einwohner
	Meldung:Meldungen Kasse:Kassen Steuer:Steuern Nutzung:Nutzungen Fläche:Flächen Bau:Bauten Schutz:Schutz
	Jahr:Jahre Monat:Monate Woche:Wochen Zeitraum:Zeiträume Betrag:Beträge Euro:Euro Person:Personen`)

var benchFiller = strings.Fields(`der die das und wird wurde ist sind für mit von auf zu den im des eine einer
	nach bei über gegen ohne durch bis zum zur als auch nicht noch bereits hiermit gemäß beantragt genehmigt
	abgelehnt geprüft erteilt beschlossen öffentlich neue städtischen zuständige vorliegende weitere gesamte
	dringend rechtzeitig schriftlich fristgerecht vollständig vorläufig endgültig einstimmig mehrheitlich
	Musterhausen Lindenstraße Bahnhofstraße Marktplatz Rathaus Frau Herr Dr. Schmidt Müller Meyer Schulz`)

// benchVocabulary returns the words of the benchmark: every noun in both
// numbers, compounds of two nouns (Fristverlängerung, Bauantrag, …) and
// the filler words, most frequent first.
func benchVocabulary() []string {
	var nouns, plurals []string
	for _, np := range benchNouns {
		n, p, _ := strings.Cut(np, ":")
		nouns, plurals = append(nouns, n), append(plurals, p)
	}
	words := append([]string{}, benchFiller...)
	for i := range nouns {
		words = append(words, nouns[i], plurals[i])
	}
	for i, a := range nouns {
		for j, b := range nouns {
			if i == j || (i*31+j*17)%5 != 0 { // a fifth of all pairs
				continue
			}
			glue := ""
			if strings.HasSuffix(a, "ung") || strings.HasSuffix(a, "keit") {
				glue = "s"
			}
			r, size := utf8.DecodeRuneInString(b)
			words = append(words, a+glue+string(unicode.ToLower(r))+b[size:])
		}
	}
	return words
}

// BenchmarkSearch100k seeds 100,000 documents of realistic German text in
// one tenant on PostgreSQL (bulk SQL as the owner, the search index built
// set-based) and measures the latency of typical searches by a staff
// member with a folder permission filter: common and rare words,
// inflections, compound parts, two terms, an Aktenzeichen. It reports
// p50 and p95 in milliseconds; the target is p95 ≤ 200 ms.
//
//	go test ./documents/ -run '^$' -bench Search100k -benchtime 200x
//
// KOLLAB_BENCH_DOCS=20000 seeds fewer documents for a quick look.
func BenchmarkSearch100k(b *testing.B) {
	docs := 100_000
	if n, err := strconv.Atoi(os.Getenv("KOLLAB_BENCH_DOCS")); err == nil && n > 0 { // a quicker run
		docs = n
	}
	var (
		d        *db.DB
		ownerURL string
	)
	keep := os.Getenv("KOLLAB_BENCH_KEEP") == "1"
	if keep {
		d, ownerURL, _ = dbtest.KeptPostgres(b, fmt.Sprintf("search_%d", docs))
	} else {
		d, ownerURL = dbtest.Postgres(b)
	}
	svc := documents.NewService(d)
	staff, folders := benchSearchTenant(b, d, ownerURL, svc, docs, keep)

	queries := []documents.SearchQuery{
		{Text: "Antrag"}, {Text: "Beschlüsse"}, {Text: "Verträge"}, {Text: "Frist"}, {Text: "verlängerung"},
		{Text: "Fristverlängerung"}, {Text: "Genehmigung Bauantrag"}, {Text: "Haushalt Sitzung"},
		{Text: "Denkmalschutz"}, {Text: "Lärm"}, {Text: "einstimmig beschlossen"}, {Text: "Musterhausen"},
		{Text: "Spielplatzsanierung"}, {Text: "AZ 61-7"}, {Text: "Widersprüche"}, {Text: "Zuschuss Feuerwehr"},
		{Text: "Antrag", FolderID: folders[3]}, {Text: "Kosten", ContentType: "text/"},
	}
	var lat []time.Duration
	perQuery := make([][]time.Duration, len(queries))
	hits := make([]int, len(queries))
	i := 0
	for b.Loop() {
		k := i % len(queries)
		i++
		t0 := time.Now()
		res, err := svc.Search(ctx, staff, queries[k])
		if err != nil {
			b.Fatal(err)
		}
		d := time.Since(t0)
		lat, perQuery[k], hits[k] = append(lat, d), append(perQuery[k], d), len(res.Hits)
	}
	var medians []string // one line: benchmark logs are cut after a few lines
	for k, q := range queries {
		if ds := perQuery[k]; len(ds) > 0 {
			slices.Sort(ds)
			medians = append(medians, fmt.Sprintf("%q %d hits %v", q.Text, hits[k], ds[len(ds)/2].Round(time.Millisecond)))
		}
	}
	b.Logf("medians: %s", strings.Join(medians, "; "))
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(1), "max-ms")
	if pct(0.95) > 200 {
		b.Logf("p95 %.1f ms is above the 200 ms target", pct(0.95))
	}
}

// benchSearchTenant returns the staff member and the 50 folders of a tenant
// seeded with docs documents. With KOLLAB_BENCH_KEEP=1 the database
// (kollab_bench_search_<docs>) stays after the run, and a later run of the
// same size reuses its tenant instead of seeding again (minutes saved while
// tuning); drop the database by hand when done.
func benchSearchTenant(b *testing.B, d *db.DB, ownerURL string, svc *documents.Service, docs int, keep bool) (tenant.Actor, []uuid.UUID) {
	b.Helper()
	tenants := tenant.NewService(d, password.NewHasher(password.HighEntropy))
	slug := "bench-" + uuid.NewString()[:8]
	if keep {
		slug = "bench-search"
	}
	email := func(name string) string { return name + "-" + slug + "@example.org" }
	actor := func(name string) tenant.Actor {
		u, err := tenants.UserByEmail(ctx, email(name))
		if err != nil {
			b.Fatal(err)
		}
		uts, err := tenants.TenantsOfUser(ctx, u.ID)
		if err != nil || len(uts) != 1 {
			b.Fatalf("memberships of %s: %v %d", name, err, len(uts))
		}
		return tenant.ActorFromMembership(&uts[0].Membership)
	}
	if tn, err := tenants.TenantBySlug(ctx, slug); err == nil && keep {
		admin, staff := actor("admin"), actor("staff")
		top, err := svc.ListFolders(ctx, admin, uuid.Nil, documents.Page{})
		if err != nil || len(top.Folders) != 1 {
			b.Fatalf("kept tenant %s: folders %v", tn.Slug, err)
		}
		sub, err := svc.ListFolders(ctx, admin, top.Folders[0].ID, documents.Page{Limit: 100})
		if err != nil || len(sub.Folders) != 50 {
			b.Fatalf("kept tenant %s: subfolders %v", tn.Slug, err)
		}
		folders := make([]uuid.UUID, len(sub.Folders))
		for i, f := range sub.Folders {
			folders[i] = f.ID
		}
		b.Logf("reusing the seeded tenant %s", slug)
		return staff, folders
	}
	tn, err := tenants.CreateTenant(ctx, slug, "Benchmark")
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range []struct {
		name string
		role tenant.Role
	}{{"admin", tenant.RoleAdmin}, {"staff", tenant.RoleStaff}} {
		u, err := tenants.CreateUser(ctx, email(m.name), m.name, "ein-sehr-langes-Passwort")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tenants.AddMember(ctx, tn.ID, u.ID, m.role); err != nil {
			b.Fatal(err)
		}
	}
	admin, staff := actor("admin"), actor("staff")
	root, err := svc.CreateFolder(ctx, admin, uuid.Nil, "Akten")
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.SetPermission(ctx, admin, root.ID, documents.RolePrincipal(tenant.RoleStaff), documents.Read); err != nil {
		b.Fatal(err)
	}
	var folders []uuid.UUID
	for i := range 50 {
		f, err := svc.CreateFolder(ctx, admin, root.ID, fmt.Sprintf("Ordner %02d", i))
		if err != nil {
			b.Fatal(err)
		}
		if i%10 == 0 { // a tenth of the documents is out of the staff's reach
			if _, err := svc.SetInheritance(ctx, admin, f.ID, false, false); err != nil {
				b.Fatal(err)
			}
		}
		folders = append(folders, f.ID)
	}
	start := time.Now()
	benchSeed(b, ownerURL, tn.ID, admin.MembershipID, folders, docs)
	b.Logf("seeded %d documents in %v", docs, time.Since(start).Round(time.Second))
	return staff, folders
}

// benchSeed inserts n documents with a text revision each, round-robin
// into folders, as the owner (row-level security scoped to the tenant),
// with the search triggers off; then it builds the search index and the
// lexicon set-based and analyzes the tables.
func benchSeed(b *testing.B, ownerURL string, tenantID, by uuid.UUID, folders []uuid.UUID, n int) {
	b.Helper()
	conn, err := pgx.Connect(ctx, ownerURL)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	vocab := benchVocabulary()
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string { return vocab[int(float64(len(vocab))*math.Pow(rng.Float64(), 2.2))] }
	words := func(k int) string {
		ws := make([]string, k)
		for i := range ws {
			ws[i] = word()
		}
		return strings.Join(ws, " ")
	}
	exec := func(sql string, args ...any) {
		if _, err := conn.Exec(ctx, sql, args...); err != nil {
			b.Fatalf("%s: %v", sql, err)
		}
	}
	exec("SELECT set_config('app.tenant_id', $1, false)", tenantID.String())
	for _, tr := range []string{"documents", "document_tags", "document_texts"} {
		exec("ALTER TABLE " + tr + " DISABLE TRIGGER USER")
	}
	now := time.Now().UTC()
	const batch = 5000
	for lo := 0; lo < n; lo += batch {
		var (
			ids, revs, fids                    []uuid.UUID
			titles, keys, descs, refs, content []string
			sizes                              []int64
			changed                            []time.Time
		)
		for i := lo; i < min(lo+batch, n); i++ {
			id, rev := uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
			title := fmt.Sprintf("%s %s %d", word(), word(), i)
			length := 80 + rng.IntN(400)
			if rng.IntN(10) == 0 {
				length *= 5
			}
			text := words(length)
			ids, revs, fids = append(ids, id), append(revs, rev), append(fids, folders[i%len(folders)])
			titles, keys = append(titles, title), append(keys, strings.ToLower(title))
			descs = append(descs, words(5+rng.IntN(20)))
			refs = append(refs, fmt.Sprintf("AZ %d-%d/%d", 10+rng.IntN(90), rng.IntN(50), 2015+rng.IntN(11)))
			content, sizes = append(content, text), append(sizes, int64(len(text)))
			// Last changes spread evenly over eight years, as in an agency's
			// long-lived file store.
			changed = append(changed, now.Add(-time.Duration(rng.Int64N(int64(8*365*24*time.Hour)))).Truncate(time.Microsecond))
		}
		exec(`INSERT INTO documents (tenant_id, id, folder_id, title, title_key, description, file_plan_ref,
				created_at, created_by, updated_at, updated_by, content_type, size_bytes, revision_count)
			SELECT $1, u.id, u.folder, u.title, u.key, u.descr, u.ref, u.changed, $2, u.changed, $2, 'text/plain; charset=utf-8', u.size, 1
			FROM unnest($3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::bigint[], $10::timestamptz[])
				AS u(id, folder, title, key, descr, ref, size, changed)`,
			tenantID, by, ids, fids, titles, keys, descs, refs, sizes, changed)
		exec(`INSERT INTO document_revisions (tenant_id, id, document_id, number, storage_key, size_bytes, sha256,
				content_type, file_name, created_at, created_by)
			SELECT $1::uuid, u.rev, u.id, 1, 't/' || $1::uuid::text || '/rev/' || u.rev::text, u.size, repeat('0', 64), 'text/plain; charset=utf-8', 'text.txt', $2, $3
			FROM unnest($4::uuid[], $5::uuid[], $6::bigint[]) AS u(rev, id, size)`, tenantID, now, by, revs, ids, sizes)
		exec(`UPDATE documents d SET current_revision_id = u.rev FROM unnest($2::uuid[], $3::uuid[]) AS u(rev, id)
			WHERE d.tenant_id = $1 AND d.id = u.id`, tenantID, revs, ids)
		exec(`INSERT INTO document_texts (tenant_id, document_id, revision_id, content, method, truncated, extracted_at)
			SELECT $1, u.id, u.rev, u.content, 'plain', false, $2 FROM unnest($3::uuid[], $4::uuid[], $5::text[]) AS u(id, rev, content)`,
			tenantID, now, ids, revs, content)
	}
	b.Logf("inserted rows in %v", time.Since(now).Round(time.Second))
	exec("SELECT document_search_refresh(tenant_id, id) FROM documents WHERE tenant_id = $1", tenantID)
	b.Logf("built the search index in %v", time.Since(now).Round(time.Second))
	exec(`INSERT INTO search_lexicon (tenant_id, lexeme)
		SELECT DISTINCT $1::uuid, l FROM document_texts t, unnest(tsvector_to_array(t.content_vector)) l
		WHERE t.tenant_id = $1 AND char_length(l) BETWEEN 4 AND 64
		ON CONFLICT DO NOTHING`, tenantID)
	for _, tr := range []string{"documents", "document_tags", "document_texts"} {
		exec("ALTER TABLE " + tr + " ENABLE TRIGGER USER")
	}
	exec("ANALYZE")
}
