-- Create an order_status enum and add a status column using it with a default of 'pending'.
CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    placed_at timestamptz NOT NULL DEFAULT now()
);
