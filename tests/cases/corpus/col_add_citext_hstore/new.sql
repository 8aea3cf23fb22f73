CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS hstore;

CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    display_name text NOT NULL,
    email citext UNIQUE,
    attributes hstore NOT NULL DEFAULT ''::hstore
);
