-- Add check constraints using an IN list, a regular expression (~) and a cast.
CREATE TABLE customers (
    id integer PRIMARY KEY,
    email text NOT NULL,
    country_code char(2) NOT NULL,
    tier text NOT NULL DEFAULT 'basic',
    postal_code varchar(10)
);
