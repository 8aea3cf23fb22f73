DO $$
BEGIN
    CREATE ROLE corpus_report_reader NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;

CREATE TABLE customers (
    id serial PRIMARY KEY,
    email text NOT NULL,
    phone text
);

CREATE TABLE orders (
    id serial PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES customers (id),
    total numeric(12,2) NOT NULL
);

CREATE INDEX orders_customer_id_idx ON orders (customer_id);

GRANT SELECT ON customers, orders TO corpus_report_reader;
GRANT USAGE ON SEQUENCE orders_id_seq TO corpus_report_reader;
