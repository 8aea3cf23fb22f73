-- Turn a stored generated column into a plain column (ALTER COLUMN ... DROP EXPRESSION).
CREATE TABLE temperatures (
    id integer PRIMARY KEY,
    celsius numeric(5,2) NOT NULL,
    fahrenheit numeric(6,2) GENERATED ALWAYS AS (celsius * 9 / 5 + 32) STORED
);
