-- Add a public uuid with gen_random_uuid() and a jsonb settings column defaulting to '{}'::jsonb.
create table users (
    id integer primary key,
    username varchar(40) not null
);
