CREATE TABLE customers (
    id integer PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE invoices (
    id integer CONSTRAINT invoices_pkey PRIMARY KEY,
    customer_id integer NOT NULL CONSTRAINT invoices_customer_fk REFERENCES customers (id),
    total numeric(12,2) NOT NULL CONSTRAINT invoices_total_nonnegative CHECK (total >= 0)
);

COMMENT ON CONSTRAINT invoices_customer_fk ON invoices IS 'Every invoice belongs to exactly one customer; customers are never deleted.';
COMMENT ON CONSTRAINT invoices_total_nonnegative ON public.invoices IS 'Credit notes are stored separately, so totals are never negative.';
