CREATE TABLE employees (
    id integer PRIMARY KEY,
    full_name text NOT NULL,
    manager_id integer REFERENCES employees (id) ON DELETE SET NULL
);

CREATE INDEX employees_manager_id_idx ON employees (manager_id);
