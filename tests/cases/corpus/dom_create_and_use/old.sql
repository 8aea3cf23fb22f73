-- A domain for postal codes is created and a new column of the customers table uses it.
CREATE TABLE customers (
    id bigserial PRIMARY KEY,
    name text NOT NULL
);
