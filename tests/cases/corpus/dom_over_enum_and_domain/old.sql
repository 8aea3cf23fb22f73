-- Domains over an enum and over another domain, in their own schema, with arrays, are added.
CREATE SCHEMA shop;
CREATE TYPE shop.colour AS ENUM ('red', 'green', 'blue');
CREATE TABLE shop.items (
    id int PRIMARY KEY
);
