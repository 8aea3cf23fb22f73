-- Add a text[] column with an empty-array default and a two-dimensional int[][] column.
CREATE TABLE products (
    sku varchar(32) PRIMARY KEY,
    name text NOT NULL
);
