package api

import (
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/notify"
)

// Request and response types of the notification routes.

type listNotificationsIn struct {
	TenantPath
	PageQuery
	Unread bool `query:"unread" doc:"Only unread notifications"`
}

func (in *listNotificationsIn) query() notify.Query {
	return notify.Query{Limit: in.Limit, Cursor: strings.Clone(in.Cursor), Unread: in.Unread}
}

// NotificationView is one notification, in the reader's language.
type NotificationView struct {
	ID          uuid.UUID  `json:"id" doc:"The notification's id (its event's)"`
	Kind        string     `json:"kind" doc:"One of the kinds of GET notification-preferences"`
	ObjectType  string     `json:"object_type"`
	ObjectID    uuid.UUID  `json:"object_id"`
	WorkspaceID *uuid.UUID `json:"workspace_id,omitempty"`
	Title       string     `json:"title"`
	Text        string     `json:"text"`
	Link        string     `json:"link" doc:"The object's page in the web app, relative to /t/{tenant}/"`
	CreatedAt   time.Time  `json:"created_at"`
	ReadAt      *time.Time `json:"read_at,omitempty"`
}

type notificationsOut struct {
	Body struct {
		Items      []NotificationView `json:"items"`
		NextCursor string             `json:"next_cursor,omitempty" doc:"Absent on the last page"`
		Unread     int64              `json:"unread" doc:"The caller's unread notifications in this tenant"`
	}
}

func notificationsView(p *notify.Page) *notificationsOut {
	out := &notificationsOut{}
	out.Body.Items = make([]NotificationView, 0, len(p.Items))
	for _, n := range p.Items {
		out.Body.Items = append(out.Body.Items, NotificationView{ID: n.ID, Kind: n.Kind, ObjectType: n.ObjectType, ObjectID: n.ObjectID,
			WorkspaceID: n.WorkspaceID, Title: n.Title, Text: n.Text, Link: n.Link, CreatedAt: n.CreatedAt, ReadAt: n.ReadAt})
	}
	out.Body.NextCursor, out.Body.Unread = p.NextCursor, p.Unread
	return out
}

type unreadOut struct {
	Body struct {
		Unread int64 `json:"unread" doc:"The caller's unread notifications left"`
	}
}

type readAllOut struct {
	Body struct {
		Marked int64 `json:"marked" doc:"How many notifications were marked read"`
		Unread int64 `json:"unread"`
	}
}

// LabelView is a text in German and English.
type LabelView struct {
	DE string `json:"de"`
	EN string `json:"en"`
}

// NotificationPreferenceView is the caller's mode for one kind.
type NotificationPreferenceView struct {
	Kind    string    `json:"kind"`
	Label   LabelView `json:"label"`
	Mode    string    `json:"mode" enum:"immediate,daily,never"`
	Default string    `json:"default" enum:"immediate,daily,never" doc:"The mode without a choice"`
}

type preferencesOut struct {
	Body struct {
		Preferences []NotificationPreferenceView `json:"preferences"`
	}
}

func preferencesView(ps []notify.Preference) *preferencesOut {
	out := &preferencesOut{}
	out.Body.Preferences = make([]NotificationPreferenceView, 0, len(ps))
	for _, p := range ps {
		out.Body.Preferences = append(out.Body.Preferences, NotificationPreferenceView{Kind: p.Kind,
			Label: LabelView{DE: p.Label.DE, EN: p.Label.EN}, Mode: string(p.Mode), Default: string(p.Default)})
	}
	return out
}

// NotificationPreferenceInput sets the mode of one kind.
type NotificationPreferenceInput struct {
	Kind string `json:"kind" maxLength:"100"`
	Mode string `json:"mode" enum:"immediate,daily,never" doc:"immediate: a mail at once; daily: a digest the next morning; never: in the app only"`
}

type setPreferencesIn struct {
	TenantPath
	Body struct {
		Preferences []NotificationPreferenceInput `json:"preferences" maxItems:"50" doc:"Kinds not named keep their mode"`
	}
}

func (in *setPreferencesIn) inputs() []notify.PreferenceInput {
	out := make([]notify.PreferenceInput, 0, len(in.Body.Preferences))
	for _, p := range in.Body.Preferences {
		out = append(out, notify.PreferenceInput{Kind: strings.Clone(p.Kind), Mode: strings.Clone(p.Mode)})
	}
	return out
}
