-- Change a primary key from (id) to (tenant_id, id) when making a table multi-tenant.
CREATE TABLE projects (
    tenant_id integer NOT NULL,
    id integer NOT NULL,
    name varchar(120) NOT NULL,
    archived boolean NOT NULL DEFAULT false,
    CONSTRAINT projects_pkey PRIMARY KEY (id)
);
