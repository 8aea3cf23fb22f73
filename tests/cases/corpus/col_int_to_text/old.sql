-- Change an integer postal code column to text (and back, which needs a USING cast).
CREATE TABLE addresses (
    id integer PRIMARY KEY,
    street text NOT NULL,
    postal_code integer NOT NULL,
    country char(2) NOT NULL DEFAULT 'US'
);
