CREATE TABLE people (
    id integer PRIMARY KEY,
    first_name text NOT NULL,
    last_name text NOT NULL,
    nickname text,
    full_name text GENERATED ALWAYS AS (upper(last_name) || ', ' || first_name) STORED
);
