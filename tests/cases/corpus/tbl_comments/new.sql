CREATE TABLE products (
    id integer PRIMARY KEY,
    name text NOT NULL,
    price numeric(10,2),
    discontinued boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE products IS 'Items that can be sold; one row per SKU.';
COMMENT ON COLUMN products.name IS 'Customer-facing product name';
COMMENT ON COLUMN products.price IS 'Unit price in EUR, tax excluded';

CREATE TABLE categories (
    id integer PRIMARY KEY,
    title text
);
COMMENT ON TABLE categories IS 'Product categories (it''s a tree in v2)';
COMMENT ON COLUMN categories.title IS NULL;
