-- The app role's column grants (00071) name each column a use case may
-- change; two later changes need one more column each, and nothing else:
-- an order's settlement date is set when it is delivered (00050), and a
-- price plan's old version is closed when a new one takes effect (00110).
-- The figures of orders and the bodies of plans stay fixed.

-- +goose Up
GRANT UPDATE (settle_due_at) ON orders TO shujiao_app;
GRANT UPDATE (effective_to) ON price_plans TO shujiao_app;

-- +goose Down
REVOKE UPDATE (effective_to) ON price_plans FROM shujiao_app;
REVOKE UPDATE (settle_due_at) ON orders FROM shujiao_app;
