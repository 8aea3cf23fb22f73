-- Add a foreign key NOT VALID so existing rows are not checked (validation left for later).
CREATE TABLE devices (
    id uuid PRIMARY KEY,
    label text
);

CREATE TABLE telemetry (
    id bigint PRIMARY KEY,
    device_id uuid NOT NULL,
    reading double precision NOT NULL,
    recorded_at timestamptz NOT NULL
);
