CREATE TABLE tickets (
    id bigserial PRIMARY KEY,
    assignee_id bigint,
    status text NOT NULL,
    priority integer NOT NULL DEFAULT 3,
    deleted_at timestamptz
);
CREATE INDEX tickets_open_assignee_idx ON tickets (assignee_id) WHERE status IN ('open', 'reopened');
CREATE INDEX tickets_priority_idx ON tickets (priority) WHERE deleted_at IS NULL AND priority < 3;
