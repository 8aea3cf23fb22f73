CREATE TABLE devices (
    id integer PRIMARY KEY,
    label text NOT NULL,
    installed_at timestamptz
);

CREATE TABLE measurements (
    device_id integer NOT NULL,
    taken_at timestamptz NOT NULL,
    value double precision NOT NULL
) PARTITION BY RANGE (taken_at);

CREATE TABLE measurements_2024 PARTITION OF measurements
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurements_2025 PARTITION OF measurements
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE INDEX measurements_device_taken_idx ON measurements (device_id, taken_at);
