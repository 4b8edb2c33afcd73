/**
 * A table's columns in their order, from SVV_COLUMNS (the catalog's view,
 * visible to every user, on provisioned clusters and Serverless): the type's
 * name and, for character types, its length apart.
 */
export const REDSHIFT_PREVIEW_COLUMNS_SQL = `SELECT column_name, data_type, character_maximum_length
FROM svv_columns
WHERE table_schema = $1 AND table_name = $2
ORDER BY ordinal_position`;

/**
 * A table's size in bytes, from SVV_TABLE_INFO, which counts it in 1 MB
 * blocks. The view has no row for an empty table, and shows only what the
 * user may see (all of it to a superuser, or with SELECT granted on it).
 */
export const REDSHIFT_TABLE_SIZE_SQL = `SELECT CAST(size AS BIGINT) * 1048576 AS bytes
FROM svv_table_info
WHERE "schema" = $1 AND "table" = $2`;
