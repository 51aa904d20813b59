package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/kollab/kollab/internal/notify"
)

// cockpitNotifications is how many unread notifications the cockpit shows.
const cockpitNotifications = 5

// cockpitRoutes registers the personal cockpit: the start page's overview
// in one response. Each part is its module's own bounded query for the
// caller (meetings, workspaces, documents, notify); a module that is not
// wired, or shows the caller nothing, gives an empty part.
//
// The parts run one after the other, each in its own short transaction:
// measured (docs/benchmarks.md, cockpit), running them concurrently saves
// about 2 ms of 5 at the median but holds up to five pool connections per
// request instead of one, which under load costs more than it saves.
func (s *Server) cockpitRoutes() {
	register(s, member, huma.Operation{OperationID: "get-cockpit", Method: http.MethodGet, Path: tenantBase + "/cockpit",
		Tags: []string{"Startseite"}, Summary: "The caller's start page: next meetings, polls awaiting their vote, workspaces, consultations awaiting a statement or ending soon, recent documents, unread notifications"},
		func(ctx context.Context, in *TenantPath) (*cockpitOut, error) {
			return s.cockpit(ctx)
		})
}

func (s *Server) cockpit(ctx context.Context) (*cockpitOut, error) {
	a, out := actorOf(ctx), newCockpitOut()
	if svc := s.deps.Committees; svc != nil {
		ms, err := svc.UpcomingMeetings(ctx, a)
		if err != nil {
			return nil, err
		}
		out.setMeetings(ms)
		ps, err := svc.PendingPolls(ctx, a)
		if err != nil {
			return nil, err
		}
		out.setPolls(ps)
	}
	if svc := s.deps.Workspaces; svc != nil {
		r, err := svc.RecentWorkspaces(ctx, a)
		if err != nil {
			return nil, err
		}
		out.setWorkspaces(r)
	}
	if svc := s.deps.Consultations; svc != nil {
		cs, err := svc.PendingFor(ctx, a)
		if err != nil {
			return nil, err
		}
		out.setConsultations(cs)
	}
	if svc := s.deps.Documents; svc != nil {
		ds, err := svc.RecentDocuments(ctx, a)
		if err != nil {
			return nil, err
		}
		out.setDocuments(ds)
	}
	if svc := s.deps.Notify; svc != nil {
		p, err := svc.List(ctx, a, notify.Query{Limit: cockpitNotifications, Unread: true})
		if err != nil {
			return nil, err
		}
		out.Body.Notifications.Unread = p.Unread
		out.Body.Notifications.Items = notificationsView(p).Body.Items
	}
	return out, nil
}
