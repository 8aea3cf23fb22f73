-- Add a stored generated column computing a line total.
CREATE TABLE order_items (
    id bigint PRIMARY KEY,
    quantity integer NOT NULL,
    unit_price numeric(10,2) NOT NULL
);
