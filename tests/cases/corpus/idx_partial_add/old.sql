-- Add partial indexes: a unique one WHERE deleted_at IS NULL (soft delete) and one WHERE status = 'active'.
CREATE TABLE accounts (
    id bigserial PRIMARY KEY,
    email text NOT NULL,
    status text NOT NULL DEFAULT 'active',
    plan text NOT NULL,
    deleted_at timestamptz
);
