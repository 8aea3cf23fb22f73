CREATE TABLE order_lines (
    id bigint PRIMARY KEY,
    quantity integer NOT NULL,
    unit_price numeric(10,2) NOT NULL,
    discount_pct numeric(5,2) NOT NULL DEFAULT 0,
    CONSTRAINT order_lines_quantity_check CHECK (quantity >= 0),
    CONSTRAINT order_lines_discount_check CHECK (discount_pct BETWEEN 0 AND 50)
);
