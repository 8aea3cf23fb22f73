CREATE TABLE invoices (
    id bigint PRIMARY KEY,
    issued_on date NOT NULL
);

CREATE SEQUENCE invoice_number_seq
    AS integer
    INCREMENT BY 10
    MINVALUE 1000
    MAXVALUE 99999999
    START WITH 1000
    CACHE 20;
