CREATE TABLE login_events (
    id bigserial PRIMARY KEY,
    user_id integer NOT NULL,
    logged_in_at timestamptz NOT NULL DEFAULT now(),
    client_ip inet NOT NULL DEFAULT '0.0.0.0',
    client_subnet cidr,
    device_mac macaddr
);
