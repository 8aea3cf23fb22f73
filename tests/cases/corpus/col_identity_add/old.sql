-- Turn a plain NOT NULL integer key into an identity column (and back, dropping the identity).
CREATE TABLE tickets (
    id integer NOT NULL,
    subject text NOT NULL,
    CONSTRAINT tickets_pkey PRIMARY KEY (id)
);
