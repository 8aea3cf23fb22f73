CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL,
    status varchar(20) NOT NULL,
    total_cents bigint NOT NULL,
    shipped_on date
);
CREATE INDEX orders_lookup_idx ON orders (customer_id, lower(status), (total_cents / 100), shipped_on);
