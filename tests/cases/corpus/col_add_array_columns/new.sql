CREATE TABLE products (
    sku varchar(32) PRIMARY KEY,
    name text NOT NULL,
    tags text[] NOT NULL DEFAULT '{}'::text[],
    size_matrix int[][],
    prices numeric(8,2)[] DEFAULT ARRAY[0.00, 0.00]
);
