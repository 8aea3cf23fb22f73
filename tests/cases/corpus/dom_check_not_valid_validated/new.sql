CREATE DOMAIN sku AS text;
ALTER DOMAIN sku ADD CONSTRAINT sku_format CHECK (VALUE ~ '^[A-Z]{3}-[0-9]{4}$') NOT VALID;
ALTER DOMAIN sku VALIDATE CONSTRAINT sku_format;
CREATE TABLE products (
    code sku PRIMARY KEY,
    title text NOT NULL
);
