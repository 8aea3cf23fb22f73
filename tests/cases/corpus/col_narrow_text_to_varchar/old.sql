-- Narrow a free-form text column to varchar(20) to enforce a maximum length.
CREATE TABLE coupons (
    id integer PRIMARY KEY,
    code text NOT NULL UNIQUE,
    description text
);
