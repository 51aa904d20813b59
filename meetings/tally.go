package meetings

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
	// Totals, when set, are the ballots already summed (a secret poll's
	// aggregate count), and Ballots is ignored.
	Totals *Totals
}

// Totals are a poll's ballots summed per choice and option, by weight (one
// per ballot in a secret poll).
type Totals struct {
	Ballots                int
	Cast, Yes, No, Abstain int64
	Options                map[uuid.UUID]int64
}

// add counts one ballot.
func (t *Totals) add(b Ballot) {
	t.Ballots++
	t.Cast += b.Weight
	switch b.Choice {
	case Yes:
		t.Yes += b.Weight
	case No:
		t.No += b.Weight
	case Abstain:
		t.Abstain += b.Weight
	case Options:
		if t.Options == nil {
			t.Options = map[uuid.UUID]int64{}
		}
		for _, id := range b.OptionIDs {
			t.Options[id] += b.Weight
		}
	}
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
	t := in.Totals
	if t == nil {
		t = &Totals{}
		for _, b := range in.Ballots {
			t.add(b)
		}
	}
	r := Result{Rule: in.Rule, PresentWeight: in.PresentWeight, MembersWeight: in.MembersWeight,
		Ballots: t.Ballots, CastWeight: t.Cast, Yes: t.Yes, No: t.No, Abstain: t.Abstain, Elected: []uuid.UUID{}}
	votes := t.Options
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
