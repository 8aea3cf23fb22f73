-- Add a column and an index to tables on which a read-only role holds SELECT grants.
DO $$
BEGIN
    CREATE ROLE corpus_report_reader NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;

CREATE TABLE customers (
    id serial PRIMARY KEY,
    email text NOT NULL
);

CREATE TABLE orders (
    id serial PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id),
    total numeric(12,2) NOT NULL
);

GRANT SELECT ON customers, orders TO corpus_report_reader;
GRANT USAGE ON SEQUENCE orders_id_seq TO corpus_report_reader;
