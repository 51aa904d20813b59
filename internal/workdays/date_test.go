package workdays_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/workdays"
	"gorm.io/gorm"
)

func TestDate(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	// The day of an instant is the day in the zone it is seen in.
	late := time.Date(2026, 12, 23, 23, 30, 0, 0, time.UTC)
	if got := workdays.DateOf(late); got != day("2026-12-23") {
		t.Fatalf("DateOf UTC: %s", got)
	}
	if got := workdays.DateOf(late.In(berlin)); got != day("2026-12-24") {
		t.Fatalf("DateOf Berlin: %s", got)
	}
	if d := workdays.NewDate(2026, time.February, 29); d.String() != "2026-03-01" {
		t.Fatalf("normalised: %s", d)
	}
	d := day("2026-03-29") // the day summer time starts in Berlin
	if got := d.In(berlin); got.Format(time.RFC3339) != "2026-03-29T00:00:00+01:00" {
		t.Fatalf("In: %s", got)
	}
	if got := d.AddDays(1).In(berlin).Sub(d.In(berlin)); got != 23*time.Hour {
		t.Fatalf("a 23-hour day: %s", got)
	}
	if got := d.Time(); !got.Equal(time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC)) || got.Location() != time.UTC {
		t.Fatalf("Time: %s", got)
	}
	if d.AddDays(3) != day("2026-04-01") || d.AddDays(-29) != day("2026-02-28") {
		t.Fatal("AddDays")
	}
	if day("2027-01-01").Sub(day("2026-01-01")) != 365 || day("1969-12-31").Sub(day("1970-01-02")) != -2 {
		t.Fatal("Sub")
	}
	a, b := day("2026-01-01"), day("2026-01-02")
	if !a.Before(b) || a.After(b) || a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Fatal("order")
	}
	if y, m, dd := b.Date(); y != 2026 || m != time.January || dd != 2 || b.Weekday() != time.Friday {
		t.Fatal("Date, Weekday")
	}
	if !(workdays.Date{}).IsZero() || a.IsZero() || workdays.NewDate(1, 1, 1) != (workdays.Date{}) {
		t.Fatal("IsZero")
	}
	for _, bad := range []string{"", "2026-1-1", "2026-02-30", "01.01.2026", "2026-01-01T00:00:00Z", "2026-13-01"} {
		if _, err := workdays.ParseDate(bad); err == nil {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
}

func TestDateJSON(t *testing.T) {
	type row struct {
		Due workdays.Date  `json:"due"`
		Opt *workdays.Date `json:"opt,omitempty"`
	}
	b, err := json.Marshal(row{Due: day("2026-12-31")})
	if err != nil || string(b) != `{"due":"2026-12-31"}` {
		t.Fatalf("%s %v", b, err)
	}
	var r row
	if err := json.Unmarshal([]byte(`{"due":"2027-01-04","opt":"2027-01-05"}`), &r); err != nil || r.Due != day("2027-01-04") || *r.Opt != day("2027-01-05") {
		t.Fatalf("%+v %v", r, err)
	}
	if err := json.Unmarshal([]byte(`{"due":"4.1.2027"}`), &r); err == nil {
		t.Fatal("a German date accepted")
	}
}

func TestDateScan(t *testing.T) {
	var d workdays.Date
	for _, src := range []any{
		"2026-12-24", []byte("2026-12-24"), "2026-12-24 00:00:00+00:00", "2026-12-24T00:00:00Z",
		time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 24, 0, 0, 0, 0, time.FixedZone("x", 5*3600)),
	} {
		d = workdays.Date{}
		if err := d.Scan(src); err != nil || d != day("2026-12-24") {
			t.Errorf("Scan(%#v): %s %v", src, d, err)
		}
	}
	for _, src := range []any{nil, 20261224, "2026", "24.12.2026"} {
		if err := d.Scan(src); err == nil {
			t.Errorf("Scan(%#v) accepted", src)
		}
	}
	if v, err := day("2026-12-24").Value(); err != nil || v != "2026-12-24" {
		t.Fatalf("Value: %v %v", v, err)
	}
}

// TestDateInTheDatabase: a Date goes into a DATE column and comes back the
// same day, on both engines (the engines return it as time.Time or text).
// The probe table is a temporary one, made by the owner role (the serving
// role may not create tables).
func TestDateInTheDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		err := dbtest.Owner(t, d).GlobalTx(context.Background(), func(tx *gorm.DB) error {
			if err := tx.Exec("CREATE TEMPORARY TABLE workdays_probe (due DATE NOT NULL, opt DATE)").Error; err != nil {
				return err
			}
			for _, s := range []string{"2026-12-24", "0001-01-01", "2400-02-29"} {
				if err := tx.Exec("INSERT INTO workdays_probe (due, opt) VALUES (?, ?)", day(s), nil).Error; err != nil {
					return err
				}
				var got workdays.Date
				var opt *workdays.Date
				if err := tx.Raw("SELECT due, opt FROM workdays_probe WHERE due = ?", day(s)).Row().Scan(&got, &opt); err != nil {
					return err
				}
				if got != day(s) || opt != nil {
					t.Errorf("stored %s, read %s (opt %v)", s, got, opt)
				}
			}
			var n int
			if err := tx.Raw("SELECT count(*) FROM workdays_probe WHERE due < ?", day("2026-12-25")).Row().Scan(&n); err != nil {
				return err
			}
			if n != 2 {
				t.Errorf("dates compare as days: %d before 2026-12-25", n)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

func TestStates(t *testing.T) {
	s := workdays.States()
	if len(s) != 16 || s[0] != (workdays.StateInfo{Code: workdays.BW, NameDE: "Baden-Württemberg", NameEN: "Baden-Württemberg"}) ||
		s[1].Code != workdays.BY || s[15] != (workdays.StateInfo{Code: workdays.TH, NameDE: "Thüringen", NameEN: "Thuringia"}) {
		t.Fatalf("%+v", s)
	}
	seen := map[workdays.State]bool{}
	for i, st := range s {
		if i > 0 && s[i-1].NameDE >= st.NameDE {
			t.Errorf("not in German alphabetical order: %s before %s", s[i-1].NameDE, st.NameDE)
		}
		if !workdays.Valid(st.Code) || len(st.Code) != 2 || seen[st.Code] || st.NameEN == "" {
			t.Errorf("%+v", st)
		}
		seen[st.Code] = true
	}
	s[0].NameDE = "x"
	if workdays.States()[0].NameDE != "Baden-Württemberg" {
		t.Fatal("States returns the package's own slice")
	}
	if !workdays.Valid(workdays.None) {
		t.Fatal("None is a valid setting")
	}
	for _, bad := range []workdays.State{"by", "DE-BY", "XX", " BY", "Bayern", "B"} {
		if workdays.Valid(bad) {
			t.Errorf("Valid(%q)", bad)
		}
	}
}
