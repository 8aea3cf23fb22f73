-- Create a "reporting" schema holding two new tables, one referencing a public table.
CREATE TABLE customers (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL
);
