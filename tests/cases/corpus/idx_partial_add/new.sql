CREATE TABLE accounts (
    id bigserial PRIMARY KEY,
    email text NOT NULL,
    status text NOT NULL DEFAULT 'active',
    plan text NOT NULL,
    deleted_at timestamptz
);
CREATE UNIQUE INDEX accounts_email_live_key ON accounts (email) WHERE deleted_at IS NULL;
CREATE INDEX accounts_active_plan_idx ON accounts (plan) WHERE status = 'active';
