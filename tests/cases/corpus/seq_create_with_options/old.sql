-- Create a standalone invoice-number sequence with explicit AS, INCREMENT, bounds, START and CACHE.
CREATE TABLE invoices (
    id bigint PRIMARY KEY,
    issued_on date NOT NULL
);
