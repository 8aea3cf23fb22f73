CREATE TABLE products (
    id integer PRIMARY KEY,
    sku text NOT NULL,
    category_id integer NOT NULL,
    price numeric(10,2) NOT NULL
);
CREATE INDEX ON products (category_id);
ALTER INDEX products_category_id_idx RENAME TO ix_products_category;
CREATE UNIQUE INDEX products_sku_key ON products (sku);
ALTER INDEX products_sku_key RENAME TO ux_products_sku;
