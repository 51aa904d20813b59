package workdays

// State is a German federal state (Land), named by its ISO 3166-2:DE code
// without the "DE-" prefix. The empty State, None, stands for no state:
// the nationwide public holidays only.
type State string

// The federal states.
const (
	None State = "" // nationwide public holidays only
	BW   State = "BW"
	BY   State = "BY"
	BE   State = "BE"
	BB   State = "BB"
	HB   State = "HB"
	HH   State = "HH"
	HE   State = "HE"
	MV   State = "MV"
	NI   State = "NI"
	NW   State = "NW"
	RP   State = "RP"
	SL   State = "SL"
	SN   State = "SN"
	ST   State = "ST"
	SH   State = "SH"
	TH   State = "TH"
)

// StateInfo names a federal state.
type StateInfo struct {
	Code   State
	NameDE string
	NameEN string
}

// states are the 16 Länder in alphabetical order of their German names.
var states = [...]StateInfo{
	{BW, "Baden-Württemberg", "Baden-Württemberg"},
	{BY, "Bayern", "Bavaria"},
	{BE, "Berlin", "Berlin"},
	{BB, "Brandenburg", "Brandenburg"},
	{HB, "Bremen", "Bremen"},
	{HH, "Hamburg", "Hamburg"},
	{HE, "Hessen", "Hesse"},
	{MV, "Mecklenburg-Vorpommern", "Mecklenburg-Western Pomerania"},
	{NI, "Niedersachsen", "Lower Saxony"},
	{NW, "Nordrhein-Westfalen", "North Rhine-Westphalia"},
	{RP, "Rheinland-Pfalz", "Rhineland-Palatinate"},
	{SL, "Saarland", "Saarland"},
	{SN, "Sachsen", "Saxony"},
	{ST, "Sachsen-Anhalt", "Saxony-Anhalt"},
	{SH, "Schleswig-Holstein", "Schleswig-Holstein"},
	{TH, "Thüringen", "Thuringia"},
}

// States returns the 16 federal states in alphabetical order of their
// German names (a new slice on every call). None is not among them.
func States() []StateInfo {
	out := make([]StateInfo, len(states))
	copy(out, states[:])
	return out
}

// Valid reports whether s is a value a tenant's setting may take: one of
// the 16 codes (upper case, as listed) or None ("").
func Valid(s State) bool {
	if s == None {
		return true
	}
	for _, i := range states {
		if i.Code == s {
			return true
		}
	}
	return false
}
