create table users (
    id integer primary key,
    username varchar(40) not null,
    public_id uuid not null default gen_random_uuid(),
    settings jsonb not null default '{}'::jsonb
);
create unique index users_public_id_key on users (public_id);
