-- Give a table a hand-made sequence used as the id default and OWNED BY that column.
CREATE TABLE payments (
    id bigint PRIMARY KEY,
    amount numeric(12,2) NOT NULL,
    paid_at timestamptz NOT NULL DEFAULT now()
);
