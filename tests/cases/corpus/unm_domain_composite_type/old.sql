-- Add a column and a check constraint to a table while an unused domain and a composite type stay untouched.
CREATE DOMAIN us_postal_code AS text
    CHECK (VALUE ~ '^\d{5}$' OR VALUE ~ '^\d{5}-\d{4}$');

CREATE TYPE money_amount AS (
    amount numeric(12,2),
    currency char(3)
);

CREATE TABLE warehouses (
    id integer PRIMARY KEY,
    name text NOT NULL
);
