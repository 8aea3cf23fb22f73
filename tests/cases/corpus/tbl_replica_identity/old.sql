-- Set replica identity for logical replication: FULL on one table, NOTHING on another, USING INDEX on a third.
CREATE TABLE orders (
    id integer PRIMARY KEY,
    status text NOT NULL
);

CREATE TABLE order_events (
    order_id integer NOT NULL,
    seq integer NOT NULL,
    kind text NOT NULL
);

CREATE TABLE customers (
    id integer PRIMARY KEY,
    email text NOT NULL
);
CREATE UNIQUE INDEX customers_email_key ON customers (email);
ALTER TABLE customers REPLICA IDENTITY FULL;
