CREATE TABLE addresses (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL,
    kind text,
    postcode text,
    line1 text NOT NULL
);
CREATE UNIQUE INDEX addresses_customer_kind_key ON addresses (customer_id, kind) NULLS NOT DISTINCT;
CREATE UNIQUE INDEX addresses_postcode_line1_key ON addresses (postcode, line1) NULLS NOT DISTINCT;
