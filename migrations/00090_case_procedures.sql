-- The procedure of the Administrative Penalty Law (行政处罚法, 2021) over a
-- regulator case: filed → investigating → notified → notice_served →
-- (hearing_requested → hearing_scheduled → heard) → decided →
-- decision_served → paid | contested → closed. market.Procedure decides
-- every step; the row holds the procedure as the service left it (its
-- dates, evidence, notice, decision, payment and transitions), written in
-- the same transaction as the "case.procedure.<action>" ledger event of
-- the step (ledger_entry_id: the latest).

-- +goose Up
CREATE TABLE case_procedures (
    case_id         uuid PRIMARY KEY REFERENCES cases (id),
    party_id        uuid NOT NULL REFERENCES parties (id),
    state           text NOT NULL CHECK (state IN ('filed', 'investigating', 'notified', 'notice_served',
                        'hearing_requested', 'hearing_scheduled', 'heard', 'decided', 'decision_served',
                        'paid', 'contested', 'closed')),
    doc             jsonb NOT NULL,
    updated_at      timestamptz NOT NULL,
    ledger_entry_id uuid NOT NULL REFERENCES ledger_entries (id)
);
CREATE INDEX case_procedures_state_idx ON case_procedures (state, updated_at DESC);

-- +goose Down
DROP TABLE case_procedures;
