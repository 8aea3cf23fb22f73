CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'cancelled');

CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    placed_at timestamptz NOT NULL DEFAULT now(),
    status order_status NOT NULL DEFAULT 'pending'::order_status
);
