package publication

// What is public: the one rule, for the OParl API (the sources in
// publication.go, read by package oparl), the public part of the minutes
// and the iCalendar feeds (package meetings).
//
//   - A committee is public when it is marked public (committees.public).
//     OParl publishes nothing else. The minutes' public part and the
//     feeds are read by the committee's own members, public committee or
//     not: for them the committee decides nothing.
//   - An agenda item is public when it is accepted and marked public
//     (ItemPublic). OParl lists no other item; the minutes' public part
//     leaves the others out; a feed (whose URL is a bearer secret that
//     may end up in a calendar app's cloud) shows only their numbers.
//   - A session paper is public when it is frozen (its revision fixed) on
//     a public item of a public committee (PaperPublic).
//   - A poll's result is public when it is published and counted: not
//     annulled, and not a secret poll with fewer ballots than a secret
//     count needs (PollResultPublic). The minutes record every closed poll
//     of their items; those two show no tally there either.

// ItemAccepted is the state of an agenda item on the agenda (agenda_items.state).
const ItemAccepted = "accepted"

// ItemPublic reports whether an agenda item in state, marked public or
// not, is public.
func ItemPublic(state string, public bool) bool { return public && state == ItemAccepted }

// The rule in SQL, on the tables' usual aliases: c committees, i
// agenda_items, mp meeting_papers (joined by PaperJoins), p polls and pr
// their poll_results.
const (
	// CommitteePublic: the committee c is public.
	CommitteePublic = ` c.public`
	// ItemPublicSQL: the agenda item i is public (ItemPublic).
	ItemPublicSQL = ` i.public AND i.state = '` + ItemAccepted + `'`
	// PaperPublic: the session paper mp of the transaction's tenant (@tenant)
	// is public.
	PaperPublic = ` mp.tenant_id = @tenant AND` + CommitteePublic + ` AND` + ItemPublicSQL + ` AND mp.revision_id IS NOT NULL`
	// PollResultPublic: the result pr of poll p is public; its one
	// parameter is the fewest ballots a secret count needs
	// (meetings.MinSecretBallots).
	PollResultPublic = ` p.state = 'published' AND (p.kind <> 'secret' OR pr.ballots >= ?)`
)
