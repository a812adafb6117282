package result

// Kind names the kind of a result, as its header says.
type Kind string

// The kinds of result, one per command.
const (
	KindRun     Kind = "run"
	KindExplain Kind = "explain"
	KindVerify  Kind = "verify"
	KindPower   Kind = "power"
	KindPlan    Kind = "plan"
	KindTest    Kind = "test"
	KindLint    Kind = "lint"
	KindDiff    Kind = "diff"
)

// SchemaVersion is the version of the JSON schema of every result. It changes when a key is
// renamed or removed, or its meaning changes; added keys keep it. Version 2 named the request
// count "requests" everywhere, every destination "name" and every pass or fail "verdict", and
// writes every key (docs/json.md); version 3 numbers sequential looks from 1, as the text does.
const SchemaVersion = 3

// Header starts every result: which tool and version wrote it, what kind of result it is, and the
// version of its schema, so that a saved result can be read back by its kind.
type Header struct {
	Tool          string `json:"tool"`
	Kind          Kind   `json:"kind"`
	Version       string `json:"version"`
	SchemaVersion int    `json:"schema_version"`
}

// NewHeader is the header of a result of kind k written by this version of splitsim.
func NewHeader(k Kind) Header {
	return Header{Tool: "splitsim", Kind: k, Version: Version, SchemaVersion: SchemaVersion}
}
