-- Rebuild a primary key as PRIMARY KEY (id) INCLUDE (status) WITH (fillfactor = 70) for index-only scans.
CREATE TABLE shipments (
    id bigint NOT NULL,
    status text NOT NULL,
    carrier text,
    shipped_at timestamptz,
    CONSTRAINT shipments_pkey PRIMARY KEY (id)
);
