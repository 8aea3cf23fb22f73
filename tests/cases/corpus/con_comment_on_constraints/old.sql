-- Add, change and remove COMMENT ON CONSTRAINT for a check, a foreign key and a primary key.
CREATE TABLE customers (
    id integer PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE invoices (
    id integer CONSTRAINT invoices_pkey PRIMARY KEY,
    customer_id integer NOT NULL CONSTRAINT invoices_customer_fk REFERENCES customers (id),
    total numeric(12,2) NOT NULL CONSTRAINT invoices_total_nonnegative CHECK (total >= 0)
);

COMMENT ON CONSTRAINT invoices_customer_fk ON invoices IS 'Every invoice belongs to a customer.';
COMMENT ON CONSTRAINT invoices_pkey ON invoices IS 'Surrogate key.';
