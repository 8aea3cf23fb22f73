-- Add, change and remove comments on tables and columns.
CREATE TABLE products (
    id integer PRIMARY KEY,
    name text NOT NULL,
    price numeric(10,2),
    discontinued boolean NOT NULL DEFAULT false
);
COMMENT ON TABLE products IS 'Products';
COMMENT ON COLUMN products.price IS 'Price in cents';
COMMENT ON COLUMN products.discontinued IS 'Deprecated flag';

CREATE TABLE categories (
    id integer PRIMARY KEY,
    title text
);
