-- Replace a single-column unique on invoices.number by a named unique on (company_id, number, fiscal_year).
CREATE TABLE companies (
    id integer PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE invoices (
    id integer PRIMARY KEY,
    company_id integer NOT NULL REFERENCES companies (id),
    fiscal_year smallint NOT NULL,
    number integer NOT NULL,
    amount numeric(12,2) NOT NULL,
    UNIQUE (number)
);
