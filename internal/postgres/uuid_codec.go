package postgres

import (
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/shujiao/shujiao/market"
)

// uuidCodec is pgx's codec of the uuid type taught to move uuid.UUID and
// the market's ID types built on it as the 16 bytes they are.
//
// Without it pgx finds uuid.UUID's driver.Valuer and sql.Scanner: every
// parameter was formatted as text, tried as binary (a failed encode and its
// error), parsed back as text and then encoded; every column scanned was
// formatted as text and parsed again by uuid.Scan. An order passes some
// sixty IDs each way; under the load benchmark that was most of pgx's
// encoding work (bench/RESULTS.md, t18b). Other values and the text format
// take pgx's own paths, and a NULL scanned into a uuid.UUID leaves it as it
// was, as uuid.Scan does.
type uuidCodec struct{ pgtype.UUIDCodec }

// registerUUID puts uuidCodec in place of pgx's uuid codec on m; uuid[]
// finds its elements' codec through m and needs nothing more.
func registerUUID(m *pgtype.Map) {
	m.RegisterType(&pgtype.Type{Name: "uuid", OID: pgtype.UUIDOID, Codec: uuidCodec{}})
}

// PlanEncode implements pgtype.Codec.
func (c uuidCodec) PlanEncode(m *pgtype.Map, oid uint32, format int16, value any) pgtype.EncodePlan {
	if _, ok := value.(uuid.UUID); ok && format == pgtype.BinaryFormatCode {
		return encodeUUIDBinary{}
	}
	return c.UUIDCodec.PlanEncode(m, oid, format, value)
}

type encodeUUIDBinary struct{}

func (encodeUUIDBinary) Encode(value any, buf []byte) ([]byte, error) {
	u := value.(uuid.UUID)
	return append(buf, u[:]...), nil
}

// PlanScan implements pgtype.Codec.
func (c uuidCodec) PlanScan(m *pgtype.Map, oid uint32, format int16, target any) pgtype.ScanPlan {
	if format == pgtype.BinaryFormatCode && uuidBytes(target) != nil {
		return scanUUIDBinary{}
	}
	return c.UUIDCodec.PlanScan(m, oid, format, target)
}

type scanUUIDBinary struct{}

func (scanUUIDBinary) Scan(src []byte, dst any) error {
	if src == nil {
		return nil // as uuid.UUID.Scan(nil)
	}
	if len(src) != 16 {
		return fmt.Errorf("scan uuid: %d bytes in the binary format, want 16", len(src))
	}
	copy(uuidBytes(dst)[:], src)
	return nil
}

// uuidBytes returns the 16 bytes dst points to when dst is a *uuid.UUID or
// a pointer to one of the market's ID types, whose Scan is uuid.UUID's;
// else nil.
func uuidBytes(dst any) *[16]byte {
	switch d := dst.(type) {
	case *uuid.UUID:
		return (*[16]byte)(d)
	case *market.PartyID:
		return (*[16]byte)(d)
	case *market.UserID:
		return (*[16]byte)(d)
	case *market.TokenID:
		return (*[16]byte)(d)
	case *market.SessionID:
		return (*[16]byte)(d)
	case *market.QuoteID:
		return (*[16]byte)(d)
	}
	return nil
}
