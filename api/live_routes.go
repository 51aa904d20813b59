package api

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humafiber"
	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/live"
)

// Live event streams (Server-Sent Events, text/event-stream):
//
//   - /polls/{id}/events: "snapshot" events with the poll's state and the
//     number of ballots cast, at once and after every change (at most
//     one per live.Hub.Debounce), never how anyone voted. After the close
//     the result is read through /polls/{id}/result, as far as the
//     follower may see it.
//   - /meetings/{id}/events: "change" events saying what changed
//     (agenda, attendance, polls, state, posts, conflicts, papers,
//     meeting; "changed" when several things did): the client reads
//     what it shows again.
//
// Who may read the poll or meeting may follow it; the check runs when the
// stream starts. A comment line every heartbeatEvery keeps proxies from
// closing an idle stream and ends a stream whose client has gone. Streams
// end after streamLifetime (and when the server stops); EventSource
// reconnects by itself, which re-checks the follower's rights.
const (
	heartbeatEvery = 20 * time.Second
	streamLifetime = 30 * time.Minute
)

// liveEventsResponses documents the event stream in the OpenAPI document.
func liveEventsResponses() map[string]*huma.Response {
	return map[string]*huma.Response{"200": {Description: "text/event-stream",
		Content: map[string]*huma.MediaType{"text/event-stream": {Schema: &huma.Schema{Type: "string"}}}}}
}

func (s *Server) liveRoutes() {
	if s.deps.Committees == nil || s.deps.Live == nil {
		return
	}
	tags := []string{"Live"}
	register(s, member, huma.Operation{OperationID: "follow-poll", Method: http.MethodGet, Path: tenantBase + "/polls/{id}/events", Tags: tags,
		Summary:     "Follow a poll live: its state and the number of ballots cast (Server-Sent Events)",
		Description: `Events "snapshot" with data {"state": …, "ballots": n}; never interim results.`,
		Responses:   liveEventsResponses()},
		func(ctx context.Context, in *TenantIDPath) (*huma.StreamResponse, error) {
			a := actorOf(ctx)
			if _, err := s.deps.Committees.GetPoll(ctx, a, in.ID); err != nil {
				return nil, err
			}
			return s.eventStream(ctx, a.TenantID, live.KindPoll, in.ID)
		})
	register(s, member, huma.Operation{OperationID: "follow-meeting", Method: http.MethodGet, Path: tenantBase + "/meetings/{id}/events", Tags: tags,
		Summary:     "Follow a meeting live: what changed (Server-Sent Events)",
		Description: `Events "change" with data {"what": "agenda" | "attendance" | "polls" | "state" | "posts" | "conflicts" | "papers" | "meeting" | "changed"}.`,
		Responses:   liveEventsResponses()},
		func(ctx context.Context, in *TenantIDPath) (*huma.StreamResponse, error) {
			a := actorOf(ctx)
			if _, err := s.deps.Committees.GetMeeting(ctx, a, in.ID); err != nil {
				return nil, err
			}
			return s.eventStream(ctx, a.TenantID, live.KindMeeting, in.ID)
		})
}

// eventStream streams a topic's events. It subscribes before the answer
// starts, so nothing that happens from here on is missed. A login (session
// or API token) holds at most maxStreamsPerLogin streams at a time.
func (s *Server) eventStream(ctx context.Context, tenantID uuid.UUID, kind string, id uuid.UUID) (*huma.StreamResponse, error) {
	p := principalOf(ctx)
	login := p.SessionID
	if p.ViaToken() {
		login = p.TokenID
	}
	release, err := s.streams.acquire(login)
	if err != nil {
		return nil, err
	}
	events, unsubscribe := s.deps.Live.Subscribe(tenantID, kind, id)
	cancel := func() { unsubscribe(); release() }
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		c := humafiber.Unwrap(hctx)
		h := &c.Response().Header
		h.Set("Content-Type", "text/event-stream; charset=utf-8")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Accel-Buffering", "no") // nginx: pass events on at once
		c.Status(http.StatusOK)
		c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
			defer cancel()
			beat := time.NewTicker(heartbeatEvery)
			defer beat.Stop()
			end := time.NewTimer(streamLifetime)
			defer end.Stop()
			// The client reconnects after 2 s when the stream ends.
			if _, err := w.WriteString("retry: 2000\n\n"); err != nil || w.Flush() != nil {
				return
			}
			for {
				select {
				case ev := <-events:
					var err error
					if ev.Data != nil { // a topic with a snapshot (a poll, a bell)
						_, err = fmt.Fprintf(w, "event: snapshot\ndata: %s\n\n", ev.Data)
					} else {
						_, err = fmt.Fprintf(w, "event: change\ndata: {\"what\":%q}\n\n", ev.What)
					}
					if err != nil || w.Flush() != nil {
						return
					}
				case <-beat.C:
					if _, err := w.WriteString(": \n\n"); err != nil || w.Flush() != nil {
						return // the client has gone
					}
				case <-end.C:
					return
				case <-s.done:
					return
				}
			}
		})
	}}, nil
}
