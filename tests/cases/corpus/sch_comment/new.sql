CREATE SCHEMA "Inventory";
CREATE SCHEMA audit;
COMMENT ON SCHEMA audit IS 'Append-only audit trail; do not update rows';
COMMENT ON SCHEMA "Inventory" IS 'Stock levels per warehouse item';

CREATE TABLE "Inventory".items (
    id integer PRIMARY KEY,
    qty integer NOT NULL DEFAULT 0
);
CREATE TABLE audit.events (
    id bigserial PRIMARY KEY,
    happened_at timestamptz NOT NULL DEFAULT now(),
    payload jsonb
);
