-- Convert timestamp without time zone columns to timestamptz, keeping their defaults.
CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    placed_at timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
    shipped_at timestamp
);
CREATE INDEX orders_placed_at_idx ON orders (placed_at);
