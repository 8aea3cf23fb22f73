-- Move billing into its own schema: CREATE SCHEMA billing with invoices referencing public.customers.
CREATE TABLE customers (
    id integer PRIMARY KEY,
    name text NOT NULL
);
