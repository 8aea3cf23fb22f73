-- Turn indexes into covering indexes with INCLUDE columns, and change one INCLUDE list.
CREATE TABLE invoices (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL,
    number text NOT NULL,
    amount numeric(12,2) NOT NULL,
    status text NOT NULL
);
CREATE INDEX invoices_customer_idx ON invoices (customer_id);
CREATE UNIQUE INDEX invoices_number_key ON invoices (number) INCLUDE (amount);
