-- Add, drop and change column defaults: constants, now() vs CURRENT_TIMESTAMP, lower('X') and interval '1 day'.
CREATE TABLE subscriptions (
    id integer PRIMARY KEY,
    plan text NOT NULL DEFAULT 'free',
    seats integer NOT NULL DEFAULT 1,
    started_at timestamptz DEFAULT now(),
    trial_length interval,
    region text DEFAULT 'eu',
    status text,
    renew boolean DEFAULT false
);
