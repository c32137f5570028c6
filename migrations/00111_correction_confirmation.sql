-- A seller's correction of a flagged price (Shaanxi Art. 37) counts for
-- Art. 75 only once a regulator confirms it, with the refund to each
-- overcharged counterparty (issue 16): the decision confirm_correction and
-- the confirmation stored on the correction order.

-- +goose Up
ALTER TABLE case_decisions DROP CONSTRAINT case_decisions_action_check;
ALTER TABLE case_decisions ADD CONSTRAINT case_decisions_action_check
    CHECK (action IN ('dismiss', 'order_correction', 'proceed_to_penalty', 'confirm_correction'));
-- {"confirmed_by", "confirmed_at", "refunds": [{"buyer_id", "trade_ids", "overcharge", "refunded"}], "ledger_entry_id"}
ALTER TABLE correction_orders ADD COLUMN confirmation jsonb;

-- +goose Down
ALTER TABLE correction_orders DROP COLUMN confirmation;
DELETE FROM case_decisions WHERE action = 'confirm_correction';
ALTER TABLE case_decisions DROP CONSTRAINT case_decisions_action_check;
ALTER TABLE case_decisions ADD CONSTRAINT case_decisions_action_check
    CHECK (action IN ('dismiss', 'order_correction', 'proceed_to_penalty'));
