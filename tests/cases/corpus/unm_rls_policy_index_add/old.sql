-- Add an index and a column at the end of a table that has row-level security enabled and a tenant policy.
CREATE TABLE notes (
    id bigserial PRIMARY KEY,
    tenant_id integer NOT NULL,
    body text NOT NULL
);

ALTER TABLE notes ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON notes
    USING (tenant_id = current_setting('app.tenant_id')::integer);
