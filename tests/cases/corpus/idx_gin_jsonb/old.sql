-- Switch a jsonb GIN index from the default jsonb_ops to jsonb_path_ops and add a second GIN index on another jsonb column.
CREATE TABLE events (
    id bigserial PRIMARY KEY,
    kind text NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}'::jsonb,
    meta jsonb
);
CREATE INDEX events_payload_gin ON events USING gin (payload);
