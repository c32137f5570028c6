package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"time"

	"github.com/shujiao/shujiao/internal/postgres"
	"github.com/shujiao/shujiao/market"
)

// seedProcedure files the demo case under the Administrative Penalty Law
// and opens its investigation with a first evidence item (the record of
// inquiry, by its SHA-256), so /ui/regulator/cases/{id}/procedure shows a
// case under way. Idempotent: nothing is added once the case is filed.
func seedProcedure(ctx context.Context, w *demoWorld) error {
	reg := w.accounts["regulator"]
	have, err := market.NewCases(postgres.NewCaseStore(w.pool)).List(ctx, reg.Actor, market.CaseFilter{Limit: 1})
	if err != nil || len(have) == 0 {
		return err
	}
	procs := market.NewProcedures(postgres.NewProcedureStore(w.pool),
		func(ctx context.Context) (*market.Calendar, error) { return postgres.LoadCalendar(ctx, w.pool) },
		func() time.Time { return w.now })
	id := have[0].ID
	if _, err := procs.Get(ctx, reg.Actor, id); !errors.Is(err, market.ErrNotFound) {
		return err // filed already (nil), or a real error
	}
	record := "询问笔录：西安数据科技有限公司法定代表人称个人买方订购时附加加急交付。"
	sum := sha256.Sum256([]byte(record))
	for _, st := range []market.ProcedureStep{
		{Action: market.ActFile},
		{Action: market.ActInvestigate},
		{Action: market.ActAddEvidence, Evidence: &market.EvidenceInput{Kind: market.EvidenceDocument,
			Description: "对当事人法定代表人的询问笔录", SHA256: hex.EncodeToString(sum[:])}},
	} {
		if _, err := procs.Step(ctx, reg.Actor, id, st); err != nil {
			return err
		}
	}
	return nil
}
