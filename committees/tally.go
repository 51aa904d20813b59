package committees

import (
	"cmp"
	"slices"

	"github.com/google/uuid"
)

// Ballot is one counted ballot: a yes/no/abstain choice, or the options
// chosen in an election (Choice Options), with the voter's weight.
type Ballot struct {
	Choice    string
	OptionIDs []uuid.UUID
	Weight    int64
}

// TallyInput is everything a count needs; the database side gathers it
// when the poll closes.
type TallyInput struct {
	Method Method
	Seats  int
	// Options are the election's options in poll order.
	Options       []uuid.UUID
	Rule          Rule
	PresentWeight int64
	MembersWeight int64
	Ballots       []Ballot
}

// Tally counts the ballots and applies the rule. It is pure: the same
// input always gives the same result.
//
// A yes/no poll passes when yes outweighs no (so a tie fails) and, unless
// the rule is Simple, yes reaches the rule's share of the base. In an
// election every option is measured on its own: it qualifies with at least
// one vote and, unless the rule is Simple (relative majority), the rule's
// share of the base; the best-placed qualifying options take the seats.
// When options tie for the last seat(s), only those above the tie are
// elected and TieAtCut records that the rest is undecided.
func Tally(in TallyInput) Result {
	r := Result{Rule: in.Rule, PresentWeight: in.PresentWeight, MembersWeight: in.MembersWeight,
		Ballots: len(in.Ballots), Elected: []uuid.UUID{}}
	votes := make(map[uuid.UUID]int64, len(in.Options))
	for _, b := range in.Ballots {
		r.CastWeight += b.Weight
		switch b.Choice {
		case Yes:
			r.Yes += b.Weight
		case No:
			r.No += b.Weight
		case Abstain:
			r.Abstain += b.Weight
		case Options:
			for _, id := range b.OptionIDs {
				votes[id] += b.Weight
			}
		}
	}
	switch in.Rule.Base {
	case BasePresent:
		r.BaseWeight = in.PresentWeight
	case BaseMembers:
		r.BaseWeight = in.MembersWeight
	default:
		r.BaseWeight = r.CastWeight
	}
	share, shared := in.Rule.threshold()
	if in.Method != Choice {
		r.Passed = r.Yes > r.No && (!shared || share.reaches(r.Yes, r.BaseWeight))
		return r
	}

	r.OptionVotes = make([]OptionVotes, len(in.Options))
	var qualified []OptionVotes
	for i, id := range in.Options {
		ov := OptionVotes{OptionID: id, Votes: votes[id]}
		r.OptionVotes[i] = ov
		if ov.Votes > 0 && (!shared || share.reaches(ov.Votes, r.BaseWeight)) {
			qualified = append(qualified, ov)
		}
	}
	// Most votes first; equal votes keep the poll's order (which decides nothing).
	slices.SortStableFunc(qualified, func(x, y OptionVotes) int { return cmp.Compare(y.Votes, x.Votes) })
	seats := max(in.Seats, 1)
	if len(qualified) > seats && qualified[seats-1].Votes == qualified[seats].Votes {
		r.TieAtCut = true
		cut := qualified[seats-1].Votes
		for _, q := range qualified {
			if q.Votes > cut {
				r.Elected = append(r.Elected, q.OptionID)
			}
		}
	} else {
		for _, q := range qualified[:min(seats, len(qualified))] {
			r.Elected = append(r.Elected, q.OptionID)
		}
	}
	r.Passed = !r.TieAtCut && len(r.Elected) == seats
	return r
}
