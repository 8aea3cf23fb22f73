CREATE TABLE tickets (
    id integer NOT NULL,
    subject text NOT NULL,
    CONSTRAINT tickets_pkey PRIMARY KEY (id)
);
ALTER TABLE tickets ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY;
