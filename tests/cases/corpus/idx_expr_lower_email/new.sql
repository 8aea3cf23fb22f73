CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    display_name text
);
CREATE UNIQUE INDEX users_email_lower_key ON users (lower(email));
