-- Change foreign key delete actions to SET NULL, SET DEFAULT and RESTRICT, and drop one foreign key.
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
    warehouse_id integer DEFAULT 1 REFERENCES warehouses (id) ON DELETE CASCADE,
    supplier_id integer REFERENCES suppliers (id),
    category_id integer REFERENCES categories,
    sku text NOT NULL,
    legacy_category_id integer REFERENCES categories (id) ON DELETE SET NULL
);
