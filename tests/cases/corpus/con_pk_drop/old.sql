-- Drop the primary key of a staging table that should accept duplicate rows.
create table import_rows (
    row_no integer primary key,
    source_file text not null,
    payload jsonb
);
