CREATE TABLE invoices (
    id bigint NOT NULL,
    amount numeric(14,4) NOT NULL DEFAULT 0,
    tax_rate numeric(10,2),
    PRIMARY KEY (id)
);
CREATE TABLE invoice_lines (
    id integer PRIMARY KEY,
    invoice_id bigint NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    line_total numeric(14,4) NOT NULL
);
