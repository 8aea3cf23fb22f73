CREATE TABLE products (
    id integer PRIMARY KEY,
    sku text NOT NULL
);

CREATE UNIQUE INDEX products_sku_key ON products (sku);

CREATE TABLE "Vendors" (
    "VendorId" integer PRIMARY KEY,
    "TaxNumber" text NOT NULL
);

CREATE UNIQUE INDEX vendors_tax_number_idx ON "Vendors" ("TaxNumber");
