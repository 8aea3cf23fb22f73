CREATE DOMAIN quantity AS bigint CHECK (VALUE >= 0);
CREATE TABLE stock (
    sku text PRIMARY KEY,
    on_hand quantity NOT NULL,
    reserved quantity NOT NULL DEFAULT 0
);
