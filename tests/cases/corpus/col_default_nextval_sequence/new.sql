CREATE SEQUENCE invoice_number_seq START WITH 10000 INCREMENT BY 1;

CREATE TABLE invoices (
    id integer PRIMARY KEY,
    invoice_number bigint NOT NULL DEFAULT nextval('invoice_number_seq'),
    issued_on date NOT NULL DEFAULT CURRENT_DATE
);
