CREATE TABLE addresses (
    id integer PRIMARY KEY,
    street text NOT NULL,
    postal_code text NOT NULL,
    country char(2) NOT NULL DEFAULT 'US'
);
