package meetings_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/meetings"
)

// yna builds yes/no/abstain ballots of weight 1.
func yna(yes, no, abstain int) []meetings.Ballot {
	var bs []meetings.Ballot
	for c, n := range map[string]int{meetings.Yes: yes, meetings.No: no, meetings.Abstain: abstain} {
		for range n {
			bs = append(bs, meetings.Ballot{Choice: c, Weight: 1})
		}
	}
	return bs
}

func rule(m meetings.Majority, b meetings.Base) meetings.Rule {
	return meetings.Rule{Majority: m, Base: b}
}

func custom(num, den int, inclusive bool, b meetings.Base) meetings.Rule {
	return meetings.Rule{Majority: meetings.Custom, Fraction: meetings.Fraction{Num: num, Den: den, Inclusive: inclusive}, Base: b}
}

// Every majority rule under every base, with ties, abstentions, boundaries
// and weights; present weight 12 and members weight 15 unless stated.
func TestTallyYesNo(t *testing.T) {
	const (
		cast    = meetings.BaseCast
		present = meetings.BasePresent
		members = meetings.BaseMembers
	)
	weighted := []meetings.Ballot{{Choice: meetings.Yes, Weight: 3}, {Choice: meetings.No, Weight: 1}, {Choice: meetings.No, Weight: 1}}
	for _, c := range []struct {
		name    string
		ballots []meetings.Ballot
		rule    meetings.Rule
		present int64
		members int64
		pass    bool
		base    int64
	}{
		// 5 yes, 3 no, 2 abstain: a simple majority only.
		{"5:3:2 simple", yna(5, 3, 2), rule(meetings.Simple, cast), 12, 15, true, 10},
		{"5:3:2 simple/present", yna(5, 3, 2), rule(meetings.Simple, present), 12, 15, true, 12},
		{"5:3:2 absolute/cast", yna(5, 3, 2), rule(meetings.Absolute, cast), 12, 15, false, 10},
		{"5:3:2 absolute/present", yna(5, 3, 2), rule(meetings.Absolute, present), 12, 15, false, 12},
		{"5:3:2 absolute/members", yna(5, 3, 2), rule(meetings.Absolute, members), 12, 15, false, 15},
		{"5:3:2 two_thirds/cast", yna(5, 3, 2), rule(meetings.TwoThirds, cast), 12, 15, false, 10},
		// 7 yes, 2 no, 1 abstain.
		{"7:2:1 simple", yna(7, 2, 1), rule(meetings.Simple, members), 12, 15, true, 15},
		{"7:2:1 absolute/cast", yna(7, 2, 1), rule(meetings.Absolute, cast), 12, 15, true, 10},
		{"7:2:1 absolute/present", yna(7, 2, 1), rule(meetings.Absolute, present), 12, 15, true, 12},
		{"7:2:1 absolute/members", yna(7, 2, 1), rule(meetings.Absolute, members), 12, 15, false, 15},
		{"7:2:1 two_thirds/cast", yna(7, 2, 1), rule(meetings.TwoThirds, cast), 12, 15, true, 10},
		{"7:2:1 two_thirds/present", yna(7, 2, 1), rule(meetings.TwoThirds, present), 12, 15, false, 12},
		{"7:2:1 two_thirds/members", yna(7, 2, 1), rule(meetings.TwoThirds, members), 12, 15, false, 15},
		{"7:2:1 custom >=3/5 cast", yna(7, 2, 1), custom(3, 5, true, cast), 12, 15, true, 10},
		{"7:2:1 custom >=3/5 present", yna(7, 2, 1), custom(3, 5, true, present), 12, 15, false, 12},
		{"7:2:1 custom >7/10 cast", yna(7, 2, 1), custom(7, 10, false, cast), 12, 15, false, 10},
		{"7:2:1 custom >=7/10 cast", yna(7, 2, 1), custom(7, 10, true, cast), 12, 15, true, 10},
		{"7:2:1 custom >=7/15 members", yna(7, 2, 1), custom(7, 15, true, members), 12, 15, true, 15},
		// Ties fail under every rule.
		{"4:4 simple", yna(4, 4, 0), rule(meetings.Simple, cast), 12, 15, false, 8},
		{"4:4 absolute/cast", yna(4, 4, 0), rule(meetings.Absolute, cast), 12, 15, false, 8},
		{"4:4 custom >=1/4 members", yna(4, 4, 0), custom(1, 4, true, members), 12, 15, false, 15},
		// Exactly at the threshold: two thirds is "at least", absolute "more than half".
		{"6:3 two_thirds/cast", yna(6, 3, 0), rule(meetings.TwoThirds, cast), 12, 15, true, 9},
		{"6:4:2 absolute/cast", yna(6, 4, 2), rule(meetings.Absolute, cast), 12, 15, false, 12},
		{"6:4:2 absolute/present", yna(6, 4, 2), rule(meetings.Absolute, present), 12, 15, false, 12},
		{"7:4:1 absolute/present", yna(7, 4, 1), rule(meetings.Absolute, present), 12, 15, true, 12},
		// Abstentions never count as yes: 5 yes, 4 no, 1 abstention is a
		// simple majority but exactly half of the cast ballots.
		{"5:4:1 simple", yna(5, 4, 1), rule(meetings.Simple, cast), 12, 15, true, 10},
		{"5:4:1 absolute/cast", yna(5, 4, 1), rule(meetings.Absolute, cast), 12, 15, false, 10},
		{"0:0:3 simple", yna(0, 0, 3), rule(meetings.Simple, cast), 12, 15, false, 3},
		{"0:0:3 custom >=1/1 cast", yna(0, 0, 3), custom(1, 1, true, cast), 12, 15, false, 3},
		{"no ballots two_thirds", nil, rule(meetings.TwoThirds, cast), 12, 15, false, 0},
		{"no ballots custom", nil, custom(1, 3, true, present), 0, 0, false, 0},
		// Weights count, not heads: one yes of weight 3 beats two no of weight 1.
		{"weighted simple", weighted, rule(meetings.Simple, cast), 12, 15, true, 5},
		{"weighted absolute/cast", weighted, rule(meetings.Absolute, cast), 12, 15, true, 5},
		{"weighted absolute/present 6", weighted, rule(meetings.Absolute, present), 6, 8, false, 6},
		{"weighted two_thirds/cast", weighted, rule(meetings.TwoThirds, cast), 12, 15, false, 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := meetings.Tally(meetings.TallyInput{Method: meetings.YesNoAbstain, Seats: 1, Rule: c.rule,
				PresentWeight: c.present, MembersWeight: c.members, Ballots: c.ballots})
			if r.Passed != c.pass || r.BaseWeight != c.base {
				t.Fatalf("passed=%v base=%d, want passed=%v base=%d (%+v)", r.Passed, r.BaseWeight, c.pass, c.base, r)
			}
			var yes, no, abstain, all int64
			for _, b := range c.ballots {
				all += b.Weight
				switch b.Choice {
				case meetings.Yes:
					yes += b.Weight
				case meetings.No:
					no += b.Weight
				default:
					abstain += b.Weight
				}
			}
			if r.Yes != yes || r.No != no || r.Abstain != abstain || r.CastWeight != all || r.Ballots != len(c.ballots) {
				t.Fatalf("counts %+v", r)
			}
		})
	}
}

// Elections: the best-placed qualifying options take the seats; a tie at
// the cut leaves the tied seats undecided.
func TestTallyChoice(t *testing.T) {
	opts := []uuid.UUID{uuid.New(), uuid.New(), uuid.New(), uuid.New()}
	A, B, C, D := opts[0], opts[1], opts[2], opts[3]
	pick := func(w int64, ids ...uuid.UUID) meetings.Ballot {
		if len(ids) == 0 {
			return meetings.Ballot{Choice: meetings.Abstain, Weight: w}
		}
		return meetings.Ballot{Choice: meetings.Options, OptionIDs: ids, Weight: w}
	}
	times := func(n int, b meetings.Ballot) []meetings.Ballot { return slices.Repeat([]meetings.Ballot{b}, n) }
	cat := func(bs ...[]meetings.Ballot) []meetings.Ballot { return slices.Concat(bs...) }
	simple, absolute := rule(meetings.Simple, meetings.BaseCast), rule(meetings.Absolute, meetings.BaseCast)
	for _, c := range []struct {
		name    string
		seats   int
		rule    meetings.Rule
		ballots []meetings.Ballot
		elected []uuid.UUID
		tie     bool
		pass    bool
	}{
		{"relative majority", 1, simple, cat(times(4, pick(1, A)), times(3, pick(1, B)), times(1, pick(1, C))), []uuid.UUID{A}, false, true},
		{"no absolute majority", 1, absolute, cat(times(4, pick(1, A)), times(3, pick(1, B)), times(1, pick(1, C))), []uuid.UUID{}, false, false},
		{"absolute majority", 1, absolute, cat(times(5, pick(1, A)), times(3, pick(1, B)), times(1, pick(1, C))), []uuid.UUID{A}, false, true},
		{"abstentions against absolute", 1, absolute, cat(times(5, pick(1, A)), times(2, pick(1, B)), times(3, pick(1))), []uuid.UUID{}, false, false},
		{"tie at the top", 1, simple, cat(times(2, pick(1, A)), times(2, pick(1, B))), []uuid.UUID{}, true, false},
		{"tie at the cut", 2, simple, cat(times(4, pick(1, A)), times(3, pick(1, B)), times(3, pick(1, C))), []uuid.UUID{A}, true, false},
		{"tie below the cut", 2, simple, cat(times(4, pick(1, A)), times(3, pick(1, B)), times(2, pick(1, C)), times(2, pick(1, D))), []uuid.UUID{A, B}, false, true},
		{"several choices per ballot", 2, simple, []meetings.Ballot{pick(1, A, B), pick(1, A, C), pick(1, B), pick(1)}, []uuid.UUID{A, B}, false, true},
		{"several choices, absolute", 2, absolute, []meetings.Ballot{pick(1, A, B), pick(1, A, C), pick(1, B), pick(1)}, []uuid.UUID{}, false, false},
		{"a seat left empty", 2, absolute, []meetings.Ballot{pick(1, A, B), pick(1, A), pick(1, A), pick(1, C)}, []uuid.UUID{A}, false, false},
		{"weights", 1, simple, []meetings.Ballot{pick(3, A), pick(1, B), pick(1, B)}, []uuid.UUID{A}, false, true},
		{"two thirds at the boundary", 1, rule(meetings.TwoThirds, meetings.BaseCast), cat(times(6, pick(1, A)), times(3, pick(1, B))), []uuid.UUID{A}, false, true},
		{"present base", 1, rule(meetings.Absolute, meetings.BasePresent), cat(times(5, pick(1, A)), times(1, pick(1, B))), []uuid.UUID{}, false, false},
		{"all seats, each needs a majority", 3, absolute, []meetings.Ballot{pick(1, A, B, C), pick(1, A, B, C), pick(1, A, B), pick(1, A, C), pick(1, D)}, []uuid.UUID{A, B, C}, false, true},
		{"all seats, one short", 3, absolute, []meetings.Ballot{pick(1, A, B, C), pick(1, A, B), pick(1, A, C), pick(1, D)}, []uuid.UUID{A}, false, false},
		{"nobody voted", 1, simple, nil, []uuid.UUID{}, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := meetings.Tally(meetings.TallyInput{Method: meetings.Choice, Seats: c.seats, Options: opts, Rule: c.rule,
				PresentWeight: 12, MembersWeight: 15, Ballots: c.ballots})
			if !slices.Equal(r.Elected, c.elected) || r.TieAtCut != c.tie || r.Passed != c.pass {
				t.Fatalf("elected=%v tie=%v passed=%v, want %v %v %v; votes %v", r.Elected, r.TieAtCut, r.Passed, c.elected, c.tie, c.pass, r.OptionVotes)
			}
			if len(r.OptionVotes) != len(opts) {
				t.Fatalf("option votes: %v", r.OptionVotes)
			}
			for i, ov := range r.OptionVotes {
				var want int64
				for _, b := range c.ballots {
					if slices.Contains(b.OptionIDs, opts[i]) {
						want += b.Weight
					}
				}
				if ov.OptionID != opts[i] || ov.Votes != want {
					t.Fatalf("option %d: %+v, want %d", i, ov, want)
				}
			}
		})
	}
}

// The tally is a pure function: shuffling the ballots changes nothing.
func TestTallyOrderIndependent(t *testing.T) {
	opts := []uuid.UUID{uuid.New(), uuid.New(), uuid.New()}
	var bs []meetings.Ballot
	for i := range 30 {
		bs = append(bs, meetings.Ballot{Choice: meetings.Options, OptionIDs: []uuid.UUID{opts[i%3], opts[(i+1)%3]}, Weight: int64(i%4 + 1)})
	}
	in := meetings.TallyInput{Method: meetings.Choice, Seats: 2, Options: opts, Rule: rule(meetings.Simple, meetings.BaseCast), Ballots: bs}
	want := fmt.Sprint(meetings.Tally(in))
	for range 20 {
		in.Ballots = slices.Clone(bs)
		rand.Shuffle(len(in.Ballots), func(i, j int) { in.Ballots[i], in.Ballots[j] = in.Ballots[j], in.Ballots[i] })
		if got := fmt.Sprint(meetings.Tally(in)); got != want {
			t.Fatalf("shuffled ballots: %s, want %s", got, want)
		}
	}
}
