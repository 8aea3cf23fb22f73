-- Make a unique index treat NULLs as equal (UNIQUE ... NULLS NOT DISTINCT, PostgreSQL 15) and add another such index.
CREATE TABLE addresses (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL,
    kind text,
    postcode text,
    line1 text NOT NULL
);
CREATE UNIQUE INDEX addresses_customer_kind_key ON addresses (customer_id, kind);
