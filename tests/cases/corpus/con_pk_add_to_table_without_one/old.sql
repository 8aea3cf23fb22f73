-- Give a table that was created without a primary key one on its existing id column.
CREATE TABLE audit_events (
    id bigint NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    happened_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX audit_events_happened_at_idx ON audit_events (happened_at);
