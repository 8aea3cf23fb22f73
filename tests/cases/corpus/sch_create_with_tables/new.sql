CREATE TABLE customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL
);

CREATE SCHEMA reporting;

CREATE TABLE reporting.daily_sales (
    day date PRIMARY KEY,
    order_count integer NOT NULL DEFAULT 0,
    revenue numeric(14,2) NOT NULL DEFAULT 0
);

CREATE TABLE reporting.customer_stats (
    customer_id bigint PRIMARY KEY REFERENCES public.customers (id) ON DELETE CASCADE,
    lifetime_value numeric(14,2) NOT NULL DEFAULT 0,
    last_order_on date
);
CREATE INDEX customer_stats_last_order_idx ON reporting.customer_stats (last_order_on);
