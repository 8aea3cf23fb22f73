-- Add a sequence in a separate billing schema and use it as a column default in the public schema.
CREATE SCHEMA billing;

CREATE TABLE public.orders (
    id serial PRIMARY KEY,
    customer_id integer NOT NULL,
    total numeric(10,2) NOT NULL DEFAULT 0
);
