-- A deposit's bank reference is unique per party, not across parties (one
-- buyer could block another's reference): the idempotency key now names the
-- party (market.DepositPosting), and this index keeps one deposit per
-- (party, reference) whatever key recorded it.

-- +goose Up
CREATE UNIQUE INDEX postings_deposit_reference_idx ON postings (party_id, reference) WHERE kind = 'deposit';

-- +goose Down
DROP INDEX postings_deposit_reference_idx;
