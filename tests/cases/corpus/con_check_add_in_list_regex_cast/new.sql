CREATE TABLE customers (
    id integer PRIMARY KEY,
    email text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+\.[a-z]{2,}$'),
    country_code char(2) NOT NULL CHECK (country_code ~ '^[A-Z]{2}$'),
    tier text NOT NULL DEFAULT 'basic',
    postal_code varchar(10),
    CONSTRAINT customers_tier_check CHECK (tier IN ('basic', 'silver', 'gold')),
    CONSTRAINT customers_postal_code_numeric CHECK (postal_code IS NULL OR postal_code::text ~ '^\d+$' AND length(postal_code::text) <= 10),
    CONSTRAINT customers_id_range CHECK (id::bigint < 2147483647::bigint)
);
