-- A correction order's deadline may be pending (Shaanxi Art. 74, 75).
--
-- The deadline is counted in working days on the State Council's holiday
-- arrangement, which is published late in the year before. An order whose
-- count reaches a year the calendar does not cover was refused (409
-- calendar_year_not_covered): from early December a regulator could not
-- order a correction of 20 working days or more. The order is now issued
-- with its deadline NULL (market.CorrectionOrder.DeadlinePending) and the
-- deadline computed on every read once an operator adds the year; an
-- answer given on or after the first day of that year while the deadline
-- is pending has on_time NULL until then (before that day it is certainly
-- in time). Nothing is guessed, nothing already stored changes.

-- +goose Up
ALTER TABLE correction_orders ALTER COLUMN deadline DROP NOT NULL;
ALTER TABLE correction_responses ALTER COLUMN on_time DROP NOT NULL;

-- +goose Down
-- Orders still pending cannot go back to a NOT NULL deadline: the down
-- migration refuses while any is stored (set their deadline first).
ALTER TABLE correction_orders ALTER COLUMN deadline SET NOT NULL;
ALTER TABLE correction_responses ALTER COLUMN on_time SET NOT NULL;
