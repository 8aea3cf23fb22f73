-- Change and remove index storage parameters: btree fillfactor, gin fastupdate and gin_pending_list_limit.
CREATE TABLE documents (
    id bigserial PRIMARY KEY,
    title text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    attrs jsonb NOT NULL DEFAULT '{}',
    labels text[]
);
CREATE INDEX documents_updated_idx ON documents (updated_at) WITH (fillfactor = 80);
CREATE INDEX documents_title_idx ON documents (title) WITH (fillfactor = 70);
CREATE INDEX documents_attrs_gin ON documents USING gin (attrs) WITH (fastupdate = off);
CREATE INDEX documents_labels_gin ON documents USING gin (labels) WITH (gin_pending_list_limit = 1024);
