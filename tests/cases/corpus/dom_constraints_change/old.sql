-- A domain gains NOT NULL, a named check and a new default; its old check is replaced.
CREATE DOMAIN positive_amount AS numeric(12,2) CHECK (VALUE > 0);
CREATE TABLE invoices (
    id integer PRIMARY KEY,
    amount positive_amount
);
