package anonymizer

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/parquet-go/parquet-go"
)

// profileParquet is ProfileTable of a Parquet file: the row count and
// columns from its footer, the sample from the first rows of each row
// group (as many from each), so that it spreads over the file; only the
// pages of those rows are read.
func profileParquet(ctx context.Context, r sizedReaderAt, name string, opt ProfileOptions) (_ *Profile, err error) {
	defer recoverParquet(name, &err)
	f, _, header, texts, err := openParquet(r, r.Size(), name)
	if err != nil {
		return nil, err
	}
	groups := f.RowGroups()
	res := newReservoir(opt)
	per := int64(opt.sampleRows())
	if len(groups) > 0 {
		per = (per + int64(len(groups)) - 1) / int64(len(groups))
	}
	buf := make([]parquet.Row, 256)
	fields := make([]string, len(header))
	var text []byte
	for g, rg := range groups {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rows := rg.Rows()
		left := min(per, rg.NumRows())
		for left > 0 {
			n, err := rows.ReadRows(buf[:min(int64(len(buf)), left)])
			for _, row := range buf[:n] {
				clear(fields)
				for _, v := range row {
					if c := v.Column(); c >= 0 && c < len(fields) && !v.IsNull() {
						text = texts[c](text[:0], v)
						fields[c] = string(text)
					}
				}
				res.offer(fields, 0)
			}
			left -= int64(n)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("%s: row group %d: %w", name, g+1, err)
			}
		}
		rows.Close()
	}
	t, err := res.table(name, header)
	if err != nil {
		return nil, err
	}
	return &Profile{Format: FormatParquet, Rows: f.NumRows(), Columns: header, Sample: t}, nil
}
