CREATE TABLE sessions (
    id uuid PRIMARY KEY,
    user_id bigint NOT NULL,
    token text NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_token_hash_idx ON sessions USING hash (token);
