CREATE TABLE notes (
    id bigserial PRIMARY KEY,
    tenant_id integer NOT NULL,
    body text NOT NULL,
    pinned boolean NOT NULL DEFAULT false
);

CREATE INDEX notes_tenant_id_idx ON notes (tenant_id);

ALTER TABLE notes ENABLE ROW LEVEL SECURITY;

CREATE POLICY tenant_isolation ON notes
    USING (tenant_id = current_setting('app.tenant_id')::integer);
