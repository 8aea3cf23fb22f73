-- Record client network details by adding inet, cidr and macaddr columns to a login log.
CREATE TABLE login_events (
    id bigserial PRIMARY KEY,
    user_id integer NOT NULL,
    logged_in_at timestamptz NOT NULL DEFAULT now()
);
