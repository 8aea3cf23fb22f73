CREATE TABLE documents (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title text NOT NULL,
    body text,
    updated_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE documents IS 'User-authored documents';
COMMENT ON COLUMN documents.updated_at IS 'Maintained by trigger documents_set_updated_at';

CREATE FUNCTION set_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

CREATE TRIGGER documents_set_updated_at
    BEFORE UPDATE ON documents
    FOR EACH ROW EXECUTE FUNCTION set_updated_at();
