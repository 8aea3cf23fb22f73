CREATE EXTENSION hstore;

CREATE TABLE settings (
    tenant_id integer PRIMARY KEY,
    prefs hstore
);
