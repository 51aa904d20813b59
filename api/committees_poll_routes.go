package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/meetings"
)

// Poll routes of the committee area: delegations, polls, ballots and
// results (see committees_routes.go).

// pollRoutes: delegations, polls, ballots and results.
func (s *Server) pollRoutes() {
	s.delegationRoutes()
	s.pollDraftRoutes()
	s.pollLifecycleRoutes()
	s.ballotRoutes()
}

// delegationRoutes: delegations of a vote (Stimmrechtsübertragung).
func (s *Server) delegationRoutes() {
	tags := []string{"Abstimmungen"}
	svc := s.deps.Committees
	register(s, member, huma.Operation{OperationID: "create-delegation", Method: http.MethodPost, Path: tenantBase + "/delegations",
		Tags: tags, Summary: "Hand a member's vote to another member for one meeting or one poll (Stimmrechtsübertragung)",
		DefaultStatus: http.StatusCreated,
		Description: "The committee's rules must allow it. The delegator (or administrators, the chair or the secretary) delegates; the " +
			"delegator may not vote while it stands, the proxy casts their ballot besides their own. No chains."},
		func(ctx context.Context, in *createDelegationIn) (*delegationOut, error) {
			b := in.Body
			d, err := svc.Delegate(ctx, actorOf(ctx), meetings.DelegationInput{FromMembershipID: optionalID(b.FromMembershipID),
				ToMembershipID: b.ToMembershipID, MeetingID: optionalID(b.MeetingID), PollID: optionalID(b.PollID)})
			if err != nil {
				return nil, err
			}
			return &delegationOut{Body: delegationView(d)}, nil
		})

	register(s, member, huma.Operation{OperationID: "revoke-delegation", Method: http.MethodDelete, Path: tenantBase + "/delegations/{id}",
		Tags: tags, Summary: "End a delegation (the delegator, administrators, chair, secretary); ballots already cast stay",
		DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *TenantIDPath) (*struct{}, error) {
			return nil, svc.RevokeDelegation(ctx, actorOf(ctx), in.ID)
		})

	register(s, member, huma.Operation{OperationID: "list-meeting-delegations", Method: http.MethodGet,
		Path: tenantBase + "/meetings/{id}/delegations", Tags: tags,
		Summary: "The standing delegations of a meeting and its polls in which the caller is delegator or proxy (administrators, chair, secretary: all)"},
		func(ctx context.Context, in *TenantIDPath) (*delegationsOut, error) {
			return delegationsResult(svc.ListDelegations(ctx, actorOf(ctx), in.ID, uuid.Nil))
		})

	register(s, member, huma.Operation{OperationID: "list-poll-delegations", Method: http.MethodGet,
		Path: tenantBase + "/polls/{id}/delegations", Tags: tags,
		Summary: "The standing delegations of a poll (and its meeting) in which the caller is delegator or proxy, and the ballots the caller casts as proxy",
		Description: "proxy_for lists the delegators whose ballot the caller may cast in this poll, each with whether it is in; " +
			"never how anyone voted."},
		func(ctx context.Context, in *TenantIDPath) (*delegationsOut, error) {
			return delegationsResult(svc.ListDelegations(ctx, actorOf(ctx), uuid.Nil, in.ID))
		})
}

// pollDraftRoutes: preparing, reading, correcting and deleting a poll.
func (s *Server) pollDraftRoutes() {
	tags := []string{"Abstimmungen"}
	svc := s.deps.Committees
	register(s, member, huma.Operation{OperationID: "create-poll", Method: http.MethodPost, Path: tenantBase + "/polls", Tags: tags,
		Summary:       "Prepare a poll as a draft: on an accepted agenda item, or a written procedure with a deadline (administrators, chair, secretary)",
		DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *createPollIn) (*pollOut, error) {
			b := in.Body
			pi := meetings.PollInput{AgendaItemID: optionalID(b.AgendaItemID), CommitteeID: optionalID(b.CommitteeID), Title: b.Title,
				Kind: meetings.Kind(b.Kind), Method: meetings.Method(b.Method), Options: b.Options, Seats: b.Seats}
			if b.Deadline != nil {
				pi.Deadline = *b.Deadline
			}
			if b.Rule != nil {
				r := b.Rule.rule()
				pi.Rule = &r
			}
			return pollResult(svc.CreatePoll(ctx, actorOf(ctx), pi))
		})

	register(s, member, huma.Operation{OperationID: "get-poll", Method: http.MethodGet, Path: tenantBase + "/polls/{id}", Tags: tags,
		Summary: "One poll: its state and the number of ballots cast, never interim results"},
		func(ctx context.Context, in *TenantIDPath) (*pollOut, error) {
			return pollResult(svc.GetPoll(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "update-poll", Method: http.MethodPatch, Path: tenantBase + "/polls/{id}", Tags: tags,
		Summary: "Correct a draft poll: wording, kind, method, options, seats, rule, its agenda item (administrators, chair, secretary)",
		Description: "Absent fields stay. agenda_item_id moves the poll to another accepted item of the same meeting. " +
			"A poll that was opened answers 409: it can only be annulled."},
		func(ctx context.Context, in *updatePollIn) (*pollOut, error) {
			b := in.Body
			e := meetings.PollEdit{Title: b.Title, Seats: b.Seats, AgendaItemID: b.AgendaItemID, Deadline: b.Deadline}
			if b.Kind != nil {
				k := meetings.Kind(*b.Kind)
				e.Kind = &k
			}
			if b.Method != nil {
				m := meetings.Method(*b.Method)
				e.Method = &m
			}
			if b.Options != nil {
				e.Options = &b.Options
			}
			if b.Rule != nil {
				r := b.Rule.rule()
				e.Rule = &r
			}
			return pollResult(svc.UpdatePoll(ctx, actorOf(ctx), in.ID, e))
		})

	register(s, member, huma.Operation{OperationID: "delete-poll", Method: http.MethodDelete, Path: tenantBase + "/polls/{id}", Tags: tags,
		Summary:       "Delete a draft poll (administrators, chair, secretary); a poll that was opened answers 409: it can only be annulled",
		DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *TenantIDPath) (*struct{}, error) {
			return nil, svc.DeletePoll(ctx, actorOf(ctx), in.ID)
		})
}

// pollLifecycleRoutes: opening, closing, publishing and annulling a poll.
func (s *Server) pollLifecycleRoutes() {
	tags := []string{"Abstimmungen"}
	svc := s.deps.Committees
	register(s, member, huma.Operation{OperationID: "open-poll", Method: http.MethodPost, Path: tenantBase + "/polls/{id}/open", Tags: tags,
		Summary: "Open a draft poll for ballots (administrators, chair, secretary)",
		Description: "A poll on an agenda item opens only while its meeting is in session, and calls its item as the meeting's current one; " +
			"a written procedure opens only before its deadline."},
		func(ctx context.Context, in *TenantIDPath) (*pollOut, error) {
			return pollResult(svc.OpenPoll(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "close-poll", Method: http.MethodPost, Path: tenantBase + "/polls/{id}/close", Tags: tags,
		Summary: "Close an open poll: waits for the ballots in flight, counts and stores the result (administrators, chair, secretary)"},
		func(ctx context.Context, in *TenantIDPath) (*pollOut, error) {
			return pollResult(svc.ClosePoll(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "publish-poll", Method: http.MethodPost, Path: tenantBase + "/polls/{id}/publish", Tags: tags,
		Summary:     "Make a closed poll's result visible to every member of the committee (administrators, chair, secretary)",
		Description: "A secret poll with fewer than 3 ballots has no result and is never published (409); it can only be annulled."},
		func(ctx context.Context, in *TenantIDPath) (*pollOut, error) {
			return pollResult(svc.PublishPoll(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "annul-poll", Method: http.MethodPost, Path: tenantBase + "/polls/{id}/annul", Tags: tags,
		Summary: "Annul a poll with a reason: it stays in the record as annulled and decided nothing (administrators, chair, secretary)",
		Description: "A poll can be annulled while it runs and after it closed until its meeting's minutes are approved (a written " +
			"procedure: until its result is published); any other poll answers 409 (a draft is deleted instead). Its ballots are kept, " +
			"a secret poll's never counted; it shows as annulled with its reason, in the minutes too, and never as a decision."},
		func(ctx context.Context, in *annulPollIn) (*pollOut, error) {
			return pollResult(svc.AnnulPoll(ctx, actorOf(ctx), in.ID, in.Body.Reason))
		})
}

// ballotRoutes: ballots, results and named votes.
func (s *Server) ballotRoutes() {
	tags := []string{"Abstimmungen"}
	svc := s.deps.Committees
	register(s, member, huma.Operation{OperationID: "cast-ballot", Method: http.MethodPost, Path: tenantBase + "/polls/{id}/ballots", Tags: tags,
		Summary: "Cast a ballot in an open poll, one's own or as proxy; answers the receipt", DefaultStatus: http.StatusCreated,
		Description: "Exactly one ballot per voter: a second answers 409, as does a poll that is not open. A voter who is not entitled " +
			"(no voting right, conflicted, not present in session, no delegation to the caller) answers 403. The receipt names the " +
			"voter and the poll, never the ballot."},
		func(ctx context.Context, in *castBallotIn) (*receiptOut, error) {
			b := in.Body
			r, err := svc.Cast(ctx, actorOf(ctx), in.ID, optionalID(b.VoterMembershipID), meetings.Vote{Choice: b.Choice, OptionIDs: b.OptionIDs})
			if err != nil {
				return nil, err
			}
			return &receiptOut{Body: receiptView(r)}, nil
		})

	register(s, member, huma.Operation{OperationID: "get-poll-result", Method: http.MethodGet, Path: tenantBase + "/polls/{id}/result", Tags: tags,
		Summary: "A closed poll's count and verdict",
		Description: "After publication for every member; before it, for administrators, the chair and the secretary (others 403). " +
			"A poll that is not closed yet, an annulled poll and a secret poll with fewer than 3 ballots have no result (409)."},
		func(ctx context.Context, in *TenantIDPath) (*pollResultOut, error) {
			r, err := svc.Result(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return &pollResultOut{Body: pollResultView(r)}, nil
		})

	register(s, member, huma.Operation{OperationID: "list-named-votes", Method: http.MethodGet, Path: tenantBase + "/polls/{id}/named-votes",
		Tags: tags, Summary: "Who voted how in a named poll (visible like the result; a secret poll answers 409)"},
		func(ctx context.Context, in *TenantIDPath) (*namedVotesOut, error) {
			vs, err := svc.NamedVotes(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &namedVotesOut{}
			out.Body.Votes = make([]NamedVoteView, len(vs))
			for i := range vs {
				out.Body.Votes[i] = namedVoteView(&vs[i])
			}
			return out, nil
		})
}
