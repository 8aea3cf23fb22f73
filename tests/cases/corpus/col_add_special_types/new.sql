CREATE TABLE documents (
    document_id integer NOT NULL,
    title text NOT NULL,
    search_vector tsvector,
    page_range int4range,
    valid_during tstzrange DEFAULT tstzrange(now(), NULL),
    flags bit(8) NOT NULL DEFAULT B'00000000',
    feature_mask bit varying(64),
    processing_fee money DEFAULT 0,
    thumbnail bytea,
    CONSTRAINT documents_pkey PRIMARY KEY (document_id)
);
