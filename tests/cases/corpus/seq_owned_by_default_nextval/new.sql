CREATE SEQUENCE payments_id_seq AS bigint START WITH 1 INCREMENT BY 1;

CREATE TABLE payments (
    id bigint PRIMARY KEY DEFAULT nextval('payments_id_seq'),
    amount numeric(12,2) NOT NULL,
    paid_at timestamptz NOT NULL DEFAULT now()
);

ALTER SEQUENCE payments_id_seq OWNED BY payments.id;
