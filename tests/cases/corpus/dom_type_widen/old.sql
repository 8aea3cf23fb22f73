-- A domain over integer becomes a domain over bigint; the columns using it follow.
CREATE DOMAIN quantity AS integer CHECK (VALUE >= 0);
CREATE TABLE stock (
    sku text PRIMARY KEY,
    on_hand quantity NOT NULL,
    reserved quantity NOT NULL DEFAULT 0
);
