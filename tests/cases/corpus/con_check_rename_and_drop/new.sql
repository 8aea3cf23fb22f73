CREATE TABLE payments (
    id integer PRIMARY KEY,
    amount numeric(12,2) NOT NULL,
    currency char(3) NOT NULL,
    method text NOT NULL
);

ALTER TABLE payments ADD CONSTRAINT payments_amount_positive CHECK (amount > 0);
