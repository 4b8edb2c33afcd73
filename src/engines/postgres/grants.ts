import { quoteLiteral } from '../../sql/literals.js';
import { BUILD_SUFFIX, type TableBuild } from '../../sql/table-build.js';

/**
 * PostgreSQL: the privileges granted on each live table the run replaces
 * (an analyst's SELECT, say), granted on its new table before the swap, so
 * that nobody loses access when the new tables take the live ones' names.
 * The owner's own privileges come with the new table. Redshift has no DO
 * blocks; there, grant on the schema's future tables instead (ALTER DEFAULT
 * PRIVILEGES), which covers the new tables too.
 */
export function copyGrantsSql(build: TableBuild): string[] {
  if (build.tables.length === 0) return [];
  const names = build.tables.map((t) => quoteLiteral(t.name)).join(', ');
  return [
    `DO $$
DECLARE g record;
BEGIN
  FOR g IN
    SELECT t.relname, a.privilege_type, a.is_grantable,
           CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS grantee
    FROM pg_class t, aclexplode(t.relacl) a
    WHERE t.relnamespace = current_schema()::regnamespace AND t.relkind = 'r'
      AND t.relname = ANY (ARRAY[${names}]) AND a.grantee <> t.relowner
  LOOP
    EXECUTE format('GRANT %s ON %I TO %s%s', g.privilege_type, g.relname || '${BUILD_SUFFIX}', g.grantee,
                   CASE WHEN g.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
  END LOOP;
END $$`,
  ];
}
