-- Make users.email unique with an unnamed inline UNIQUE (PostgreSQL names it users_email_key).
CREATE TABLE users (
    id bigserial PRIMARY KEY,
    email text NOT NULL,
    display_name text
);
