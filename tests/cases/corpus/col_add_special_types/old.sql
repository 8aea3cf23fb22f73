-- Add tsvector, range, bit, varbit, money and bytea columns to a documents table.
CREATE TABLE documents (
    document_id integer NOT NULL,
    title text NOT NULL,
    CONSTRAINT documents_pkey PRIMARY KEY (document_id)
);
