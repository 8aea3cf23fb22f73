CREATE TABLE events (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT now()
);
