CREATE TABLE orders (
    id serial PRIMARY KEY,
    total numeric(12,2) NOT NULL
);
CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 1000;
