CREATE TABLE companies (
    id integer PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE invoices (
    id integer PRIMARY KEY,
    company_id integer NOT NULL REFERENCES companies (id),
    fiscal_year smallint NOT NULL,
    number integer NOT NULL,
    amount numeric(12,2) NOT NULL
);

ALTER TABLE invoices
    ADD CONSTRAINT invoices_company_year_number_uq UNIQUE (company_id, number, fiscal_year);
