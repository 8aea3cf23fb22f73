CREATE TABLE orders (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    placed_at timestamp with time zone NOT NULL DEFAULT CURRENT_TIMESTAMP,
    shipped_at timestamptz
);
CREATE INDEX orders_placed_at_idx ON orders (placed_at);
