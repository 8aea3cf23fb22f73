-- Add a hash index for equality lookups on a long token column.
CREATE TABLE sessions (
    id uuid PRIMARY KEY,
    user_id bigint NOT NULL,
    token text NOT NULL,
    expires_at timestamptz NOT NULL
);
