-- A domain check added NOT VALID (ALTER DOMAIN ... ADD CONSTRAINT) is later validated.
CREATE DOMAIN sku AS text;
ALTER DOMAIN sku ADD CONSTRAINT sku_format CHECK (VALUE ~ '^[A-Z]{3}-[0-9]{4}$') NOT VALID;
CREATE TABLE products (
    code sku PRIMARY KEY,
    title text NOT NULL
);
