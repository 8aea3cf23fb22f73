CREATE TABLE warehouses (
    id integer PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE suppliers (
    id integer PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE categories (
    id integer PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE stock_items (
    id integer PRIMARY KEY,
    warehouse_id integer DEFAULT 1 REFERENCES warehouses (id) ON DELETE SET DEFAULT,
    supplier_id integer REFERENCES suppliers (id) ON DELETE SET NULL,
    category_id integer REFERENCES categories ON DELETE RESTRICT,
    sku text NOT NULL,
    legacy_category_id integer
);
