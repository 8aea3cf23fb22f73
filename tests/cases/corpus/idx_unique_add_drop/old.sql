-- Make usernames unique via a unique index and drop the unique index on phone numbers.
CREATE TABLE users (
    id bigint PRIMARY KEY,
    username text NOT NULL,
    phone text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_username_idx ON users (username);
CREATE UNIQUE INDEX users_phone_uidx ON users (phone);
