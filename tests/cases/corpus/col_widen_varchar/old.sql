-- Widen varchar(50) to varchar(200) and turn an unbounded varchar into text.
CREATE TABLE customers (
    id serial PRIMARY KEY,
    full_name varchar(50) NOT NULL,
    street_address varchar,
    city varchar(50)
);
CREATE INDEX customers_full_name_idx ON customers (full_name);
