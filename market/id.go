package market

import (
	"github.com/google/uuid"
)

// NewID returns a new UUIDv7, time-ordered, as every Shujiao ID is.
func NewID() uuid.UUID {
	return uuid.Must(uuid.NewV7())
}
