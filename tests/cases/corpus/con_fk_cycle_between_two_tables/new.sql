CREATE TABLE departments (
    id integer PRIMARY KEY,
    name text NOT NULL,
    head_id integer
);

CREATE TABLE employees (
    id integer PRIMARY KEY,
    name text NOT NULL,
    department_id integer
);

ALTER TABLE departments
    ADD CONSTRAINT departments_head_id_fkey FOREIGN KEY (head_id) REFERENCES employees (id);

ALTER TABLE employees
    ADD CONSTRAINT employees_department_id_fkey FOREIGN KEY (department_id) REFERENCES departments (id)
    DEFERRABLE INITIALLY DEFERRED;
