-- Rename a check constraint (ALTER TABLE ... RENAME CONSTRAINT) and drop another one.
CREATE TABLE payments (
    id integer PRIMARY KEY,
    amount numeric(12,2) NOT NULL CHECK (amount > 0),
    currency char(3) NOT NULL,
    method text NOT NULL,
    CONSTRAINT payments_method_check CHECK (method <> '')
);
