-- Upgrade hstore from version 1.7 to the default 1.8 (ALTER EXTENSION hstore UPDATE) with a table using it.
CREATE EXTENSION hstore VERSION '1.7';

CREATE TABLE settings (
    tenant_id integer PRIMARY KEY,
    prefs hstore
);
