-- Replace unique constraints by plain unique indexes, one keeping the constraint's name and one with a new name.
CREATE TABLE products (
    id integer PRIMARY KEY,
    sku text NOT NULL,
    CONSTRAINT products_sku_key UNIQUE (sku)
);

CREATE TABLE "Vendors" (
    "VendorId" integer PRIMARY KEY,
    "TaxNumber" text NOT NULL UNIQUE
);
