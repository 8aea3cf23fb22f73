CREATE SCHEMA ext;
CREATE EXTENSION hstore WITH SCHEMA ext;

CREATE TABLE listings (
    id integer PRIMARY KEY,
    title text NOT NULL,
    price_cents integer NOT NULL CHECK (price_cents >= 0),
    attributes ext.hstore NOT NULL DEFAULT ''::ext.hstore
);
