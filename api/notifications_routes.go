package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/kollab/kollab/internal/notify"
)

// Notification routes: the caller's own notifications (the bell), their
// preferences per kind, and the bell's live unread count. A notification
// is only ever its recipient's: another person's, another tenant's or an
// unknown id is 404 alike.
func (s *Server) notificationRoutes() {
	if s.deps.Notify == nil {
		return
	}
	tags := []string{"Benachrichtigungen"}
	svc := s.deps.Notify
	register(s, member, huma.Operation{OperationID: "list-notifications", Method: http.MethodGet, Path: tenantBase + "/notifications",
		Tags: tags, Summary: "The caller's notifications, newest first, with their unread count (cursor paging)"},
		func(ctx context.Context, in *listNotificationsIn) (*notificationsOut, error) {
			p, err := svc.List(ctx, actorOf(ctx), in.query())
			if err != nil {
				return nil, err
			}
			return notificationsView(p), nil
		})
	register(s, member, huma.Operation{OperationID: "read-notification", Method: http.MethodPost, Path: tenantBase + "/notifications/{id}/read",
		Tags: tags, Summary: "Mark one of the caller's notifications read (again: no change)"},
		func(ctx context.Context, in *TenantIDPath) (*unreadOut, error) {
			n, err := svc.MarkRead(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &unreadOut{}
			out.Body.Unread = n
			return out, nil
		})
	register(s, member, huma.Operation{OperationID: "read-all-notifications", Method: http.MethodPost, Path: tenantBase + "/notifications/read-all",
		Tags: tags, Summary: "Mark every notification of the caller read"},
		func(ctx context.Context, in *TenantPath) (*readAllOut, error) {
			n, err := svc.MarkAllRead(ctx, actorOf(ctx))
			if err != nil {
				return nil, err
			}
			out := &readAllOut{}
			out.Body.Marked = n
			return out, nil
		})
	register(s, member, huma.Operation{OperationID: "get-notification-preferences", Method: http.MethodGet,
		Path: tenantBase + "/notification-preferences", Tags: tags,
		Summary: "Every kind of notification with its label and the caller's mode (immediate, daily, never)"},
		func(ctx context.Context, in *TenantPath) (*preferencesOut, error) {
			ps, err := svc.Preferences(ctx, actorOf(ctx))
			if err != nil {
				return nil, err
			}
			return preferencesView(ps), nil
		})
	register(s, member, huma.Operation{OperationID: "set-notification-preferences", Method: http.MethodPut,
		Path: tenantBase + "/notification-preferences", Tags: tags,
		Summary: "Choose how the caller is told per kind: a mail at once, a daily digest, or in the app only"},
		func(ctx context.Context, in *setPreferencesIn) (*preferencesOut, error) {
			ps, err := svc.SetPreferences(ctx, actorOf(ctx), in.inputs())
			if err != nil {
				return nil, err
			}
			return preferencesView(ps), nil
		})
	if s.deps.Live != nil {
		register(s, member, huma.Operation{OperationID: "follow-notifications", Method: http.MethodGet,
			Path: tenantBase + "/notifications/events", Tags: []string{"Live"},
			Summary:     "Follow the caller's bell live: the unread count (Server-Sent Events)",
			Description: `Events "snapshot" with data {"unread": n}, at once and after every change.`,
			Responses:   liveEventsResponses()},
			func(ctx context.Context, in *TenantPath) (*huma.StreamResponse, error) {
				a := actorOf(ctx)
				if _, err := svc.Unread(ctx, a); err != nil {
					return nil, err
				}
				return s.eventStream(ctx, a.TenantID, notify.LiveKind, a.MembershipID)
			})
	}
}
