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

ALTER TABLE telemetry
    ADD CONSTRAINT telemetry_device_id_fkey FOREIGN KEY (device_id) REFERENCES devices (id) NOT VALID;
