-- Drop an "archive" schema together with the tables in it.
CREATE SCHEMA archive;

CREATE TABLE orders (
    id bigserial PRIMARY KEY,
    total numeric(12,2) NOT NULL
);

CREATE TABLE archive.orders_2019 (
    id bigint PRIMARY KEY,
    total numeric(12,2) NOT NULL,
    archived_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE archive.order_lines_2019 (
    order_id bigint NOT NULL REFERENCES archive.orders_2019 (id),
    line_no smallint NOT NULL,
    amount numeric(12,2) NOT NULL,
    PRIMARY KEY (order_id, line_no)
);
