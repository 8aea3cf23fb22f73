-- Add a column at the end of a table while an unmanaged view over other columns of it stays.
CREATE TABLE employees (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    full_name text NOT NULL,
    department text NOT NULL,
    salary numeric(10,2) NOT NULL
);

CREATE VIEW department_headcount AS
    SELECT department, count(*) AS headcount, avg(salary) AS avg_salary
    FROM employees
    GROUP BY department;
