-- Number invoices from a dedicated sequence via DEFAULT nextval('invoice_number_seq').
CREATE TABLE invoices (
    id integer PRIMARY KEY,
    invoice_number bigint,
    issued_on date NOT NULL DEFAULT CURRENT_DATE
);
