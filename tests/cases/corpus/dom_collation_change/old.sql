-- A domain's collation changes from the default to "C" (the domain is made again and the column moves over).
CREATE DOMAIN tag AS text CHECK (VALUE = lower(VALUE));
CREATE TABLE articles (
    id int PRIMARY KEY,
    main_tag tag
);
