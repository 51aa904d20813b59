package notify

import (
	"strings"
	"sync"

	"github.com/google/uuid"
)

// Mode is how a person is told about a kind of notification.
type Mode string

// The modes: a mail at once, a daily digest, or in the app only.
const (
	Immediate Mode = "immediate"
	Daily     Mode = "daily"
	Never     Mode = "never"
)

// ParseMode checks a mode.
func ParseMode(s string) (Mode, bool) {
	switch Mode(s) {
	case Immediate, Daily, Never:
		return Mode(s), true
	}
	return "", false
}

// Kind is one kind of notification: what a person sets a preference for.
type Kind struct {
	Key   string
	Label Text
	// Default is the mode of a person who chose none.
	Default Mode
}

// The kinds of every module. A module's events use these keys (Emit
// refuses others); the list is what the preferences screen shows.
const (
	KindPollOpened            = "poll.opened"
	KindMeetingInvited        = "meeting.invited"
	KindMeetingPaperAdded     = "meeting.paper_added"
	KindWorkspaceInvited      = "workspace.invited"
	KindConsultationOpened    = "consultation.opened"
	KindConsultationStatement = "consultation.statement"
	KindConsultationEnding    = "consultation.ending"
	KindGuestExpiring         = "guest.expiring"
	KindTaskAssigned          = "task.assigned"
	KindTaskMentioned         = "task.mentioned"
	KindTaskCommented         = "task.commented"
	KindTaskDue               = "task.due"
	KindTaskOverdue           = "task.overdue"
	KindTaskEscalated         = "task.escalated"

	// The four-eyes sign-off (tasks, signoff*.go).
	KindSignoffRequested = "signoff.requested"
	KindSignoffDecided   = "signoff.decided"
)

var kinds = []Kind{
	{KindPollOpened, Text{"Abstimmung für mich geöffnet", "A poll is open for me"}, Immediate},
	// The invitation itself is mailed by the committee module (with its
	// calendar entry): in the app only unless a person wants more.
	{KindMeetingInvited, Text{"Einladung zu einer Sitzung", "Invitation to a meeting"}, Never},
	{KindMeetingPaperAdded, Text{"Neue Unterlage zu meiner Sitzung", "A paper was added to my meeting"}, Daily},
	{KindWorkspaceInvited, Text{"In einen Arbeitsraum eingeladen", "Invited to a workspace"}, Immediate},
	{KindConsultationOpened, Text{"Um eine Stellungnahme gebeten", "Asked for a statement"}, Immediate},
	{KindConsultationStatement, Text{"Stellungnahme eingegangen", "A statement arrived"}, Immediate},
	{KindConsultationEnding, Text{"Beteiligungsverfahren endet bald", "A consultation is about to end"}, Immediate},
	{KindGuestExpiring, Text{"Gastzugang läuft ab", "A guest's access expires"}, Immediate},
	{KindTaskAssigned, Text{"Mir wurde eine Aufgabe zugewiesen", "A task was assigned to me"}, Immediate},
	{KindTaskMentioned, Text{"In einem Kommentar erwähnt", "Mentioned in a comment"}, Immediate},
	{KindTaskCommented, Text{"Neuer Kommentar zu meiner Aufgabe", "A new comment on my task"}, Daily},
	{KindTaskDue, Text{"Erinnerung an eine fällige Aufgabe", "Reminder of a task falling due"}, Immediate},
	{KindTaskOverdue, Text{"Meine Aufgabe ist überfällig", "My task is overdue"}, Immediate},
	{KindTaskEscalated, Text{"Überfällige Aufgabe eskaliert", "An overdue task was escalated"}, Immediate},

	// The four-eyes sign-off.
	{KindSignoffRequested, Text{"Ich werde um Mitzeichnung gebeten", "My sign-off is requested"}, Immediate},
	{KindSignoffDecided, Text{"Meine Bitte um Mitzeichnung ist entschieden", "My sign-off request was decided"}, Immediate},
}

// Kinds lists every kind, in the order the preferences screen shows them.
func Kinds() []Kind { return append([]Kind(nil), kinds...) }

func kindInfo(key string) (Kind, bool) {
	for _, k := range kinds {
		if k.Key == key {
			return k, true
		}
	}
	return Kind{}, false
}

// defaultModeSQL is a CASE expression giving the default mode of the
// kind in column col (kind keys are constants of this file).
func defaultModeSQL(col string) string {
	var b strings.Builder
	b.WriteString("CASE " + col)
	for _, k := range kinds {
		b.WriteString(" WHEN '" + k.Key + "' THEN '" + string(k.Default) + "'")
	}
	b.WriteString(" ELSE 'never' END")
	return b.String()
}

// Audience is a named set of memberships described in SQL: a SELECT of
// one column, membership_id, filtered by @tenant, with the event's object
// as @object and its time as @at. Modules declare theirs once, at package
// level (NewAudience); an event names one with Of.
type Audience struct{ name string }

var (
	audienceMu sync.RWMutex
	audiences  = map[string]string{}
)

// NewAudience declares an audience. It panics on a duplicate name or a
// query that does not bind @tenant and @object (a programming error).
func NewAudience(name, query string) Audience {
	if name == "" || len(name) > 100 || !strings.Contains(query, "@tenant") || !strings.Contains(query, "@object") ||
		!strings.Contains(query, "membership_id") {
		panic("notify: bad audience " + name)
	}
	audienceMu.Lock()
	defer audienceMu.Unlock()
	if _, dup := audiences[name]; dup {
		panic("notify: audience declared twice: " + name)
	}
	audiences[name] = query
	return Audience{name: name}
}

// Of is the audience for the object id.
func (a Audience) Of(id uuid.UUID) Recipients { return Recipients{audience: a.name, param: id} }

func audienceQuery(name string) (string, bool) {
	audienceMu.RLock()
	defer audienceMu.RUnlock()
	q, ok := audiences[name]
	return q, ok
}
