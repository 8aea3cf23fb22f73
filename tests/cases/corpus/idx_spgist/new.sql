CREATE TABLE hosts (
    id serial PRIMARY KEY,
    hostname text NOT NULL,
    address inet NOT NULL,
    last_seen timestamptz
);
CREATE INDEX hosts_address_spgist ON hosts USING spgist (address);
CREATE INDEX hosts_hostname_spgist ON hosts USING spgist (hostname);
