-- Add a foreign key from order_items to orders with ON DELETE CASCADE ON UPDATE CASCADE.
CREATE TABLE orders (
    id integer PRIMARY KEY,
    placed_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE order_items (
    id integer PRIMARY KEY,
    order_id integer NOT NULL,
    product_name text NOT NULL,
    quantity integer NOT NULL DEFAULT 1
);

CREATE INDEX order_items_order_id_idx ON order_items (order_id);
