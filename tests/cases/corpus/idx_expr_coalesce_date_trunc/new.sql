CREATE TABLE payments (
    id bigserial PRIMARY KEY,
    paid_at timestamp NOT NULL,
    settled_at timestamp,
    amount numeric(12,2) NOT NULL,
    currency char(3)
);
CREATE INDEX payments_effective_at_idx ON payments (coalesce(settled_at, paid_at));
CREATE INDEX payments_paid_day_idx ON payments (date_trunc('day', paid_at));
CREATE INDEX payments_currency_idx ON payments (COALESCE(currency, 'EUR'));
