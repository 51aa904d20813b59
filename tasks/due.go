package tasks

import (
	"time"

	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/workdays"
	"github.com/kollab/kollab/tenant"
)

// MaxLeadDays is the longest reminder lead a person may choose: the
// reminder run looks at a task from this many days before its due day.
const MaxLeadDays = 7

// due is a task's due date as given: a day (On, with an optional Time),
// or Workdays working days after From ("10 Arbeitstage nach Eingang";
// From defaults to today). Given as working days, On is computed with the
// holidays of the tenant's federal state.
type due struct {
	On, Time, From string
	Workdays       int
}

func (d *due) check() error {
	var err error
	if d.On, err = checkDate("due_on", d.On); err != nil {
		return err
	}
	if d.From, err = checkDate("due_from", d.From); err != nil {
		return err
	}
	if d.Time, err = checkTime(d.Time); err != nil {
		return err
	}
	if d.Workdays < 0 || d.Workdays > 3650 {
		return errs.InvalidField("due_workdays", errs.M("tasks.workdays-range", "Die Frist in Arbeitstagen liegt zwischen 1 und 3650.", "The deadline in working days lies between 1 and 3650."))
	}
	if d.Workdays > 0 && d.On != "" {
		return errs.InvalidField("due_on", errs.M("tasks.due-either", "Bitte die Fälligkeit entweder als Datum oder in Arbeitstagen angeben, nicht beides.", "Please give the due date either as a date or in working days, not both."))
	}
	if d.Workdays == 0 && d.From != "" {
		return errs.InvalidField("due_workdays", errs.M("tasks.due-from-needs-workdays", "Zum Eingangsdatum fehlt die Frist in Arbeitstagen.", "The deadline in working days is missing for the date of receipt."))
	}
	if d.Time != "" && d.On == "" && d.Workdays == 0 {
		return errs.InvalidField("due_time", errs.M("tasks.time-needs-day", "Eine Uhrzeit braucht ein Fälligkeitsdatum.", "A time needs a due date."))
	}
	return nil
}

// resolve computes On from From and Workdays with the tenant's calendar.
func (d *due) resolve(tx *db.Tx, today string) error {
	if d.Workdays == 0 {
		return nil
	}
	if d.From == "" {
		d.From = today
	}
	cal, err := tenantCalendar(tx)
	if err != nil {
		return err
	}
	from, err := workdays.ParseDate(d.From)
	if err != nil {
		return errs.InvalidField("due_from", errs.M("tasks.date-invalid", "Bitte ein Datum in der Form JJJJ-MM-TT angeben.", "Please give a date in the form YYYY-MM-DD."))
	}
	d.On = cal.AddWorkdays(from, d.Workdays).String()
	return nil
}

func (d *due) apply(r *taskRow) {
	r.DueOn, r.DueTime, r.DueFrom = nullable(d.On), nullable(d.Time), nullable(d.From)
	r.DueWorkdays = nil
	if d.Workdays > 0 {
		w := d.Workdays
		r.DueWorkdays = &w
	}
}

// tenantCalendar is the working-day calendar of tx's tenant's federal state.
func tenantCalendar(tx *db.Tx) (*workdays.Cal, error) {
	st, err := tenant.SettingsOf(tx)
	if err != nil {
		return nil, err
	}
	return st.Calendar(), nil
}

// attention is the first day the reminder run must look at an open task
// with a due day: MaxLeadDays before it. Closed tasks and tasks without a
// due day need no attention (NULL).
func attention(r *taskRow) *string {
	if r.Category.Closed() || r.DueOn == nil {
		return nil
	}
	d, err := time.Parse(DateLayout, *r.DueOn)
	if err != nil {
		return nil
	}
	s := d.AddDate(0, 0, -MaxLeadDays).Format(DateLayout)
	return &s
}
