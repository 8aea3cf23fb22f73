CREATE TABLE employees (
    id integer PRIMARY KEY,
    email text NOT NULL,
    phone text,
    department text
);
