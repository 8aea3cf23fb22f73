-- Upgrade a serial primary key to bigserial (bigint column and bigint sequence).
CREATE TABLE events (
    id serial PRIMARY KEY,
    name text NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT now()
);
