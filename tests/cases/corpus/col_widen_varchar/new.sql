CREATE TABLE customers (
    id serial PRIMARY KEY,
    full_name varchar(200) NOT NULL,
    street_address text,
    city varchar(50)
);
CREATE INDEX customers_full_name_idx ON customers (full_name);
