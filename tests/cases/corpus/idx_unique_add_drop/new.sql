CREATE TABLE users (
    id bigint PRIMARY KEY,
    username text NOT NULL,
    phone text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username_idx ON users (username);
