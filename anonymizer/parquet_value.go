package anonymizer

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// parquetText returns the function that writes a value of a Parquet leaf
// column as the text a CSV export of the same table holds: strings as
// they are; integers in decimal; floating point numbers in the shortest
// decimal that reads back to the same number, without an exponent between
// 1e-6 and 1e21 (35600, not 3.56e+04); booleans as true/false; DATE as
// 2006-01-02; TIMESTAMP in RFC 3339 (UTC when adjusted to UTC); DECIMAL
// with its scale (12.50); UUID in its 36-character form. A null is "".
// It returns an error for a physical type it cannot show (none today).
func parquetText(col parquet.Node) (func(dst []byte, v parquet.Value) []byte, error) {
	typ := col.Type()
	var logical format.LogicalTypeValue
	if lt := typ.LogicalType(); lt != nil {
		logical = lt.Value
	}
	switch typ.Kind() {
	case parquet.Boolean:
		return func(dst []byte, v parquet.Value) []byte { return strconv.AppendBool(dst, v.Boolean()) }, nil
	case parquet.Int32, parquet.Int64:
		switch lt := logical.(type) {
		case *format.DateType:
			return func(dst []byte, v parquet.Value) []byte {
				return time.Unix(v.Int64()*86400, 0).UTC().AppendFormat(dst, time.DateOnly)
			}, nil
		case *format.TimestampType:
			unit := timeUnit(lt.Unit)
			return func(dst []byte, v parquet.Value) []byte {
				t := time.Unix(0, 0).Add(time.Duration(v.Int64()) * unit)
				if lt.IsAdjustedToUTC {
					return t.UTC().AppendFormat(dst, time.RFC3339Nano)
				}
				return t.UTC().AppendFormat(dst, "2006-01-02T15:04:05.999999999")
			}, nil
		case *format.DecimalType:
			scale := int(lt.Scale)
			return func(dst []byte, v parquet.Value) []byte {
				return appendDecimal(dst, big.NewInt(v.Int64()), scale)
			}, nil
		}
		if typ.Kind() == parquet.Int32 {
			return func(dst []byte, v parquet.Value) []byte { return strconv.AppendInt(dst, int64(v.Int32()), 10) }, nil
		}
		return func(dst []byte, v parquet.Value) []byte { return strconv.AppendInt(dst, v.Int64(), 10) }, nil
	case parquet.Int96:
		// The legacy timestamp: nanoseconds of the day, then the Julian day.
		return func(dst []byte, v parquet.Value) []byte {
			b := v.Bytes()
			if len(b) != 12 {
				return dst
			}
			nanos := int64(binary.LittleEndian.Uint64(b[:8]))
			day := int64(binary.LittleEndian.Uint32(b[8:]))
			t := time.Unix((day-2440588)*86400, nanos).UTC()
			return t.AppendFormat(dst, time.RFC3339Nano)
		}, nil
	case parquet.Float:
		return func(dst []byte, v parquet.Value) []byte { return appendNumber(dst, float64(v.Float()), 32) }, nil
	case parquet.Double:
		return func(dst []byte, v parquet.Value) []byte { return appendNumber(dst, v.Double(), 64) }, nil
	case parquet.ByteArray, parquet.FixedLenByteArray:
		switch lt := logical.(type) {
		case *format.DecimalType:
			scale := int(lt.Scale)
			return func(dst []byte, v parquet.Value) []byte {
				return appendDecimal(dst, twosComplement(v.ByteArray()), scale)
			}, nil
		case *format.UUIDType:
			return func(dst []byte, v parquet.Value) []byte {
				u, err := uuid.FromBytes(v.ByteArray())
				if err != nil {
					return append(dst, v.ByteArray()...)
				}
				return append(dst, u.String()...)
			}, nil
		}
		return func(dst []byte, v parquet.Value) []byte { return append(dst, v.ByteArray()...) }, nil
	}
	return nil, fmt.Errorf("physical type %s is not supported", typ)
}

// timeUnit is the duration of one tick of a Parquet time unit.
func timeUnit(u format.TimeUnit) time.Duration {
	switch u.Value.(type) {
	case *format.MilliSeconds:
		return time.Millisecond
	case *format.MicroSeconds:
		return time.Microsecond
	}
	return time.Nanosecond
}

// appendNumber writes f as a CSV export does: the shortest decimal that
// reads back to f, in positional notation from 1e-6 to 1e21.
func appendNumber(dst []byte, f float64, bits int) []byte {
	if a := math.Abs(f); a == 0 || (a >= 1e-6 && a < 1e21) {
		return strconv.AppendFloat(dst, f, 'f', -1, bits)
	}
	return strconv.AppendFloat(dst, f, 'g', -1, bits)
}

// twosComplement reads a big-endian two's complement integer.
func twosComplement(b []byte) *big.Int {
	n := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return n
}

// appendDecimal writes unscaled × 10^-scale with exactly scale decimals.
func appendDecimal(dst []byte, unscaled *big.Int, scale int) []byte {
	if unscaled.Sign() < 0 {
		dst = append(dst, '-')
		unscaled = new(big.Int).Neg(unscaled)
	}
	s := unscaled.String()
	if scale <= 0 {
		dst = append(dst, s...)
		for range -scale {
			dst = append(dst, '0')
		}
		return dst
	}
	for len(s) <= scale {
		s = "0" + s
	}
	dst = append(dst, s[:len(s)-scale]...)
	dst = append(dst, '.')
	return append(dst, s[len(s)-scale:]...)
}

// parquetRawText reports whether the text of a column of type typ is its
// bytes as stored (a string or plain byte array, not a decimal or UUID).
func parquetRawText(typ parquet.Type) bool {
	if typ.Kind() != parquet.ByteArray {
		return false
	}
	if lt := typ.LogicalType(); lt != nil {
		switch lt.Value.(type) {
		case *format.DecimalType, *format.UUIDType:
			return false
		}
	}
	return true
}
