CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE products (
    id integer PRIMARY KEY,
    name text NOT NULL,
    description text
);
CREATE INDEX products_name_trgm ON products USING gist (name gist_trgm_ops(siglen=32));
