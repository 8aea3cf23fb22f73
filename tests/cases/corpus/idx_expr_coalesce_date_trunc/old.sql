-- Add expression indexes using coalesce(...) and date_trunc('day', ...) on a timestamp without time zone column.
CREATE TABLE payments (
    id bigserial PRIMARY KEY,
    paid_at timestamp NOT NULL,
    settled_at timestamp,
    amount numeric(12,2) NOT NULL,
    currency char(3)
);
