CREATE EXTENSION IF NOT EXISTS citext;

CREATE TABLE accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    display_name text NOT NULL,
    email citext UNIQUE
);
