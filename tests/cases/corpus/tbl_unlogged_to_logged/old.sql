-- Make an unlogged staging table logged (crash-safe) and a logged cache table unlogged.
CREATE UNLOGGED TABLE import_staging (
    id bigint PRIMARY KEY,
    payload jsonb NOT NULL,
    loaded_at timestamptz DEFAULT now()
);

CREATE TABLE page_cache (
    url text PRIMARY KEY,
    body text,
    fetched_at timestamptz
);
