CREATE TABLE projects (
    tenant_id integer NOT NULL,
    id integer NOT NULL,
    name varchar(120) NOT NULL,
    archived boolean NOT NULL DEFAULT false,
    CONSTRAINT projects_pkey PRIMARY KEY (tenant_id, id)
);
