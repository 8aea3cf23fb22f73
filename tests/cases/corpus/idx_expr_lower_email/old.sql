-- Replace a case-sensitive unique index on email with a unique expression index on lower(email).
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    display_name text
);
CREATE UNIQUE INDEX users_email_key ON users (email);
