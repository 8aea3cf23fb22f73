CREATE TABLE shipments (
    id bigint NOT NULL,
    status text NOT NULL,
    carrier text,
    shipped_at timestamptz,
    CONSTRAINT shipments_pkey PRIMARY KEY (id) INCLUDE (status) WITH (fillfactor = 70)
);
