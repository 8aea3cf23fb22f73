CREATE DOMAIN positive_amount AS numeric(12,2) NOT NULL DEFAULT 0.01
    CHECK (VALUE >= 0.01)
    CONSTRAINT positive_amount_cap CHECK (VALUE < 1000000);
CREATE TABLE invoices (
    id integer PRIMARY KEY,
    amount positive_amount
);
