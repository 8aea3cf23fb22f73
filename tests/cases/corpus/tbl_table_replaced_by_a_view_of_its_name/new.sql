CREATE SCHEMA shop;

CREATE TABLE shop.order_rows (
    id bigint PRIMARY KEY,
    placed_at timestamptz NOT NULL,
    total numeric(12, 2) NOT NULL,
    cancelled boolean NOT NULL DEFAULT false
);

CREATE VIEW shop.orders AS
    SELECT id, placed_at, total FROM shop.order_rows WHERE NOT cancelled;

CREATE VIEW shop.daily_totals AS
    SELECT date_trunc('day', placed_at) AS day, sum(total) AS total
    FROM shop.orders
    GROUP BY 1;
