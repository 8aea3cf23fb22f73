-- Tune a BRIN index on an append-only log table: set pages_per_range = 32 and autosummarize = on.
CREATE TABLE access_log (
    id bigserial PRIMARY KEY,
    logged_at timestamptz NOT NULL DEFAULT now(),
    path text NOT NULL,
    status smallint NOT NULL
);
CREATE INDEX access_log_logged_at_brin ON access_log USING brin (logged_at);
