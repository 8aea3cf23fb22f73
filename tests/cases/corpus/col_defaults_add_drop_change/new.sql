CREATE TABLE subscriptions (
    id integer PRIMARY KEY,
    plan text NOT NULL DEFAULT 'basic',
    seats integer NOT NULL DEFAULT 5,
    started_at timestamptz DEFAULT CURRENT_TIMESTAMP,
    trial_length interval DEFAULT interval '1 day',
    region text,
    status text DEFAULT lower('ACTIVE'),
    renew boolean DEFAULT true
);
