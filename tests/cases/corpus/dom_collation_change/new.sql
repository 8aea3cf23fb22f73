CREATE DOMAIN tag AS text COLLATE "C" CHECK (VALUE = lower(VALUE));
CREATE TABLE articles (
    id int PRIMARY KEY,
    main_tag tag
);
