CREATE TABLE temperatures (
    id integer PRIMARY KEY,
    celsius numeric(5,2) NOT NULL,
    fahrenheit numeric(6,2)
);
