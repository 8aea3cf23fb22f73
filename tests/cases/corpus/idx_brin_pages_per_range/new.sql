CREATE TABLE access_log (
    id bigserial PRIMARY KEY,
    logged_at timestamptz NOT NULL DEFAULT now(),
    path text NOT NULL,
    status smallint NOT NULL
);
CREATE INDEX access_log_logged_at_brin ON access_log USING brin (logged_at) WITH (pages_per_range = 32, autosummarize = on);
CREATE INDEX access_log_id_brin ON access_log USING brin (id) WITH (pages_per_range = 64);
