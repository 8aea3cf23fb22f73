CREATE DOMAIN us_postal_code AS text
    CHECK (VALUE ~ '^\d{5}$' OR VALUE ~ '^\d{5}-\d{4}$');
COMMENT ON DOMAIN us_postal_code IS 'ZIP or ZIP+4';

CREATE TABLE customers (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    zip us_postal_code
);
