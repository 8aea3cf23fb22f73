-- A view trellisc does not manage stays as it is while an unrelated column goes.
CREATE TABLE orders (
    id serial PRIMARY KEY,
    total numeric(12,2) NOT NULL,
    note text
);
CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 1000;
