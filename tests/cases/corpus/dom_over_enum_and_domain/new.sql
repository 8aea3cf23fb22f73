CREATE SCHEMA shop;
CREATE TYPE shop.colour AS ENUM ('red', 'green', 'blue');
CREATE DOMAIN shop.primary_colour AS shop.colour CHECK (VALUE <> 'green');
CREATE DOMAIN shop.label AS varchar(40) COLLATE "C" CHECK (VALUE <> '');
CREATE DOMAIN shop.short_label AS shop.label CHECK (length(VALUE) <= 10);
CREATE TABLE shop.items (
    id int PRIMARY KEY,
    colour shop.primary_colour,
    labels shop.short_label[]
);
COMMENT ON DOMAIN shop.short_label IS 'For the shelf tags';
