-- Widen an integer key to bigint (with the referencing column) and numeric(10,2) to numeric(14,4).
CREATE TABLE invoices (
    id integer NOT NULL,
    amount numeric(10,2) NOT NULL DEFAULT 0,
    tax_rate numeric(10,2),
    PRIMARY KEY (id)
);
CREATE TABLE invoice_lines (
    id integer PRIMARY KEY,
    invoice_id integer NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    line_total numeric(10,2) NOT NULL
);
