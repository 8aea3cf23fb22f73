-- Stop using trigram search: drop the pg_trgm GIN index and the pg_trgm extension.
CREATE EXTENSION pg_trgm;

CREATE TABLE products (
    id serial PRIMARY KEY,
    sku varchar(32) NOT NULL UNIQUE,
    name text NOT NULL
);

CREATE INDEX products_name_trgm_idx ON products USING gin (name gin_trgm_ops);
