package market

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// TradeColumns are the columns of the offline trade file, in the
// documented order (docs/pricing.md). Every one up to random_draw_id must
// be present in the header; the later ones (TradeOptionalColumns) may be
// left out, as files of older exports do. An empty cell means absent.
var TradeColumns = []string{"trade_id", "time", "seller_id", "listing_id", "buyer_id", "buyer_kind",
	"unit_price", "quantity", "amount", "security", "cost", "credit", "stage", "duration_months",
	"buyer_first_trade_at", "buyer_prior_trades", "promotion_id", "promotion_kind", "promotion_start",
	"promotion_end", "tier_id", "tier_criteria_met", "random_rule_id", "random_draw_id",
	"plan_version", "tier_criteria", "cost_claim_id", "cost_claim_amount"}

// TradeOptionalColumns are the columns a trade file's header may leave
// out: the plan version the trade was priced under (without it the
// detector infers price changes from time, and says so) and the evidence
// fields of tier and cost-difference claims.
var TradeOptionalColumns = TradeColumns[colPlanVersion:]

// column indexes of TradeColumns.
const (
	colTradeID = iota
	colTime
	colSeller
	colListing
	colBuyer
	colBuyerKind
	colUnitPrice
	colQuantity
	colAmount
	colSecurity
	colCost
	colCredit
	colStage
	colDuration
	colFirstTrade
	colPriorTrades
	colPromoID
	colPromoKind
	colPromoStart
	colPromoEnd
	colTierID
	colTierMet
	colRandomRule
	colRandomDraw
	colPlanVersion
	colTierCriteria
	colCostClaimID
	colCostClaimAmount
	numTradeColumns
)

// ReadTrades reads the offline trade file: CSV with a header row in UTF-8,
// or JSON Lines with the same keys (detected from the first byte). name
// is used in errors only. Trade ids must be unique.
//
// Every error is an ErrInvalid *Error whose message reads
// "FILE:LINE: field F: …" and whose Field is the column.
func ReadTrades(r io.Reader, name string) ([]Trade, error) {
	size := inputSize(r)
	br := bufio.NewReaderSize(r, 1<<20)
	head, _ := br.Peek(4)
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(head)) > 0 && bytes.TrimSpace(head)[0] == '{' {
		return readTradesJSONL(br, name)
	}
	return readTradesCSV(br, name, size)
}

// inputSize returns the size of r in bytes when r can tell (a file, a
// bytes or strings reader), else 0; it sizes the trade slice up front.
func inputSize(r io.Reader) int64 {
	switch v := r.(type) {
	case interface{ Size() int64 }:
		return v.Size()
	case interface{ Stat() (os.FileInfo, error) }:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			return fi.Size()
		}
	}
	return 0
}

func tradeErr(name string, line int, field, format string, a ...any) error {
	if field == "" {
		return Invalid(field, "invalid_trade", "%s:%d: %s", name, line, fmt.Sprintf(format, a...))
	}
	return Invalid(field, "invalid_trade", "%s:%d: field %s: %s", name, line, field, fmt.Sprintf(format, a...))
}

func readTradesCSV(r io.Reader, name string, size int64) ([]Trade, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, Invalid("", "invalid_trade", "%s:1: empty file, want a header row: %s", name, strings.Join(TradeColumns, ","))
	}
	if err != nil {
		return nil, csvErr(name, err)
	}
	idx, err := headerIndex(header, name)
	if err != nil {
		return nil, err
	}
	// One goroutine splits CSV records while this one parses them, in
	// order, so reading uses both cores of a small machine.
	type batch struct {
		recs   [][]string
		lines  []int
		offset int64 // input offset after the batch
		err    error
	}
	ch := make(chan batch, 4)
	done := make(chan struct{})
	defer close(done)
	go func() {
		defer close(ch)
		b := batch{}
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.err = err
				break
			}
			line, _ := cr.FieldPos(0)
			b.recs, b.lines = append(b.recs, rec), append(b.lines, line)
			if len(b.recs) == 2048 {
				b.offset = cr.InputOffset()
				select {
				case ch <- b:
				case <-done:
					return
				}
				b = batch{recs: make([][]string, 0, 2048), lines: make([]int, 0, 2048)}
			}
		}
		select {
		case ch <- b:
		case <-done:
		}
	}()
	var trades []Trade
	var p *tradeParser
	versioned := idx[colPlanVersion] >= 0
	cells := make([]string, numTradeColumns)
	for b := range ch {
		if p == nil {
			// Size the slice and the id index from the first batch's bytes per row.
			hint := len(b.recs)
			if size > 0 && b.offset > 0 {
				hint = int(float64(size)/float64(b.offset)*float64(len(b.recs))*1.05) + 16
			}
			trades, p = make([]Trade, 0, hint), newTradeParser(name, hint)
		}
		for k, rec := range b.recs {
			line := b.lines[k]
			if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
				continue
			}
			if len(rec) != len(header) {
				return nil, tradeErr(name, line, "", "%d cells, want %d as in the header", len(rec), len(header))
			}
			for c, i := range idx {
				if i < 0 {
					cells[c] = ""
				} else {
					cells[c] = rec[i]
				}
			}
			t, err := p.parse(cells, line)
			if err != nil {
				return nil, err
			}
			t.VersionColumn = versioned
			trades = append(trades, t)
		}
		if b.err != nil {
			return nil, csvErr(name, b.err)
		}
	}
	return trades, nil
}

func csvErr(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return Invalid("", "invalid_csv", "%s:%d: column %d: %s", name, pe.Line, pe.Column, pe.Err)
	}
	return fmt.Errorf("read %s: %w", name, err)
}

// headerIndex maps each of TradeColumns to its position in header.
func headerIndex(header []string, name string) ([]int, error) {
	pos := map[string]int{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if _, dup := pos[h]; dup {
			return nil, tradeErr(name, 1, h, "column named twice in the header")
		}
		pos[h] = i
	}
	idx := make([]int, numTradeColumns)
	for c, col := range TradeColumns {
		i, ok := pos[col]
		if !ok && c >= colPlanVersion {
			idx[c] = -1
			continue
		}
		if !ok {
			return nil, tradeErr(name, 1, col, "missing from the header (want %s)", strings.Join(TradeColumns[:colPlanVersion], ","))
		}
		idx[c] = i
		delete(pos, col)
	}
	for h := range pos {
		return nil, tradeErr(name, 1, h, "unknown column")
	}
	return idx, nil
}
