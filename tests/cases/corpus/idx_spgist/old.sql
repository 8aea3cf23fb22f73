-- Add SP-GiST indexes on an inet column and a text column.
CREATE TABLE hosts (
    id serial PRIMARY KEY,
    hostname text NOT NULL,
    address inet NOT NULL,
    last_seen timestamptz
);
