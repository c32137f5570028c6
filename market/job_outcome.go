package market

import "encoding/json"

// JobOutcome is how a job ended: succeeded with its artifact and
// certificate, rejected with the irreversibility gate's result, or failed
// with an error message.
type JobOutcome struct {
	Status      JobStatus
	Artifact    *Artifact
	Certificate *Certificate
	Gate        json.RawMessage
	Report      json.RawMessage
	Error       string
	// CreatedBlob is the SHA-256 of a release file Process stored anew (not
	// one an identical earlier release already had); it is removed when the
	// outcome cannot be recorded.
	CreatedBlob string
}
