-- Orders are short (issue 18): an order is paid in its request and its
-- delivery is sealed afterwards by a River job. The order says where its
-- delivery stands: sealing (queued or being sealed), ready (sealed for
-- the buyer's current key), key_required (the buyer has registered no
-- OpenPGP key yet) or failed (it could not be sealed; the order was
-- refunded). Orders placed before this migration were sealed on request
-- and have no state (NULL) until their delivery is asked for.
--
-- A de-identification job names the River job that runs it, so that its
-- page shows what River knows (a job River gave up on) and it can be
-- cancelled. River leases and rescues jobs now: the hand-written runner's
-- worker and lease columns go.

-- +goose Up
ALTER TABLE orders ADD COLUMN delivery_state text
    CHECK (delivery_state IN ('sealing', 'ready', 'key_required', 'failed'));
ALTER TABLE orders ADD COLUMN delivery_error text;
UPDATE orders o SET delivery_state = 'ready' WHERE EXISTS (SELECT 1 FROM deliveries d WHERE d.order_id = o.id);
CREATE INDEX orders_delivery_sealing_idx ON orders (created_at) WHERE delivery_state = 'sealing';
GRANT UPDATE (delivery_state, delivery_error) ON orders TO shujiao_app;

ALTER TABLE jobs ADD COLUMN river_job_id bigint;
CREATE INDEX jobs_river_job_idx ON jobs (river_job_id);
GRANT UPDATE (river_job_id) ON jobs TO shujiao_app;
ALTER TABLE jobs DROP CONSTRAINT jobs_check;
DROP INDEX jobs_running_idx;
ALTER TABLE jobs DROP COLUMN worker_id, DROP COLUMN lease_until;

-- +goose Down
ALTER TABLE jobs ADD COLUMN worker_id uuid, ADD COLUMN lease_until timestamptz;
UPDATE jobs SET status = 'queued', stage = 'queued' WHERE status = 'running';
ALTER TABLE jobs ADD CONSTRAINT jobs_check CHECK (status <> 'running' OR (worker_id IS NOT NULL AND lease_until IS NOT NULL));
CREATE INDEX jobs_running_idx ON jobs (lease_until) WHERE status = 'running';
REVOKE UPDATE (river_job_id) ON jobs FROM shujiao_app;
DROP INDEX jobs_river_job_idx;
ALTER TABLE jobs DROP COLUMN river_job_id;
REVOKE UPDATE (delivery_state, delivery_error) ON orders FROM shujiao_app;
DROP INDEX orders_delivery_sealing_idx;
ALTER TABLE orders DROP COLUMN delivery_error;
ALTER TABLE orders DROP COLUMN delivery_state;
