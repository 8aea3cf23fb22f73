-- Add a comment to one schema and change the comment on another (COMMENT ON SCHEMA).
CREATE SCHEMA "Inventory";
CREATE SCHEMA audit;
COMMENT ON SCHEMA audit IS 'audit';

CREATE TABLE "Inventory".items (
    id integer PRIMARY KEY,
    qty integer NOT NULL DEFAULT 0
);
CREATE TABLE audit.events (
    id bigserial PRIMARY KEY,
    happened_at timestamptz NOT NULL DEFAULT now(),
    payload jsonb
);
