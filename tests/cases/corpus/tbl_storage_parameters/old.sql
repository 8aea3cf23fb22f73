-- Tune table storage parameters: add fillfactor, change autovacuum settings and reset one.
CREATE TABLE sessions (
    id uuid PRIMARY KEY,
    user_id integer NOT NULL,
    last_seen timestamptz
) WITH (autovacuum_vacuum_scale_factor = 0.2, autovacuum_enabled = true);

CREATE TABLE counters (
    name text PRIMARY KEY,
    value bigint NOT NULL DEFAULT 0
) WITH (fillfactor = 90, toast_tuple_target = 4096);
