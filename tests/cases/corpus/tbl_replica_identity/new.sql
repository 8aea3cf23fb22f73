CREATE TABLE orders (
    id integer PRIMARY KEY,
    status text NOT NULL
);
ALTER TABLE orders REPLICA IDENTITY FULL;

CREATE TABLE order_events (
    order_id integer NOT NULL,
    seq integer NOT NULL,
    kind text NOT NULL
);
ALTER TABLE order_events REPLICA IDENTITY NOTHING;

CREATE TABLE customers (
    id integer PRIMARY KEY,
    email text NOT NULL
);
CREATE UNIQUE INDEX customers_email_key ON customers (email);
ALTER TABLE customers REPLICA IDENTITY USING INDEX customers_email_key;
