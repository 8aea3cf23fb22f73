CREATE TABLE import_staging (
    id bigint PRIMARY KEY,
    payload jsonb NOT NULL,
    loaded_at timestamptz DEFAULT now()
);

CREATE UNLOGGED TABLE page_cache (
    url text PRIMARY KEY,
    body text,
    fetched_at timestamptz
);
