-- Rename an auto-named index to follow the team's naming convention (ALTER INDEX ... RENAME TO).
CREATE TABLE products (
    id integer PRIMARY KEY,
    sku text NOT NULL,
    category_id integer NOT NULL,
    price numeric(10,2) NOT NULL
);
CREATE INDEX ON products (category_id);
CREATE UNIQUE INDEX products_sku_key ON products (sku);
