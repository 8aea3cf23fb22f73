-- Make a composite foreign key MATCH FULL so a half-filled (country, region) pair is rejected.
CREATE TABLE regions (
    country_code char(2) NOT NULL,
    region_code varchar(3) NOT NULL,
    name text NOT NULL,
    PRIMARY KEY (country_code, region_code)
);

CREATE TABLE stores (
    id integer PRIMARY KEY,
    country_code char(2),
    region_code varchar(3),
    CONSTRAINT stores_region_fkey FOREIGN KEY (country_code, region_code)
        REFERENCES regions (country_code, region_code)
);
