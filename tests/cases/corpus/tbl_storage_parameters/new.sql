CREATE TABLE sessions (
    id uuid PRIMARY KEY,
    user_id integer NOT NULL,
    last_seen timestamptz
) WITH (fillfactor = 70, autovacuum_enabled = false);

CREATE TABLE counters (
    name text PRIMARY KEY,
    value bigint NOT NULL DEFAULT 0
);
ALTER TABLE counters SET (fillfactor = 50);
