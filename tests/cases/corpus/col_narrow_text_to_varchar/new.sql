CREATE TABLE coupons (
    id integer PRIMARY KEY,
    code varchar(20) NOT NULL UNIQUE,
    description text
);
