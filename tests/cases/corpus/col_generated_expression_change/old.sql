-- Change the expression of a stored generated full-name column (kept last: PostgreSQL 15 has no SET EXPRESSION, so it is dropped and re-added).
CREATE TABLE people (
    id integer PRIMARY KEY,
    first_name text NOT NULL,
    last_name text NOT NULL,
    nickname text,
    full_name text GENERATED ALWAYS AS (first_name || ' ' || last_name) STORED
);
