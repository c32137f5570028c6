package anonymizer

import (
	"encoding/csv"
	"errors"
	"io"
)

// bareCSV reads r with encoding/csv and discards the records: the floor
// the table reader is measured against.
func bareCSV(r io.Reader) error {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	for {
		if _, err := cr.Read(); errors.Is(err, io.EOF) {
			return nil
		} else if err != nil {
			return err
		}
	}
}
