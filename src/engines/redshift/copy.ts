import type { Config } from '../../config/types.js';
import { quoteLiteral } from '../../sql/literals.js';
import { STAGING_EVENTS, STAGING_SONGS } from '../../sql/schema.js';
import { sourceColumnList } from '../../sql/staging-load.js';
import { TableBuild } from '../../sql/table-build.js';
import { UsageError } from '../../usage-error.js';

/** The most bad rows a Redshift COPY can leave out (Developer Guide, COPY, "Data load operations": MAXERROR). */
export const REDSHIFT_MAX_ERRORS = 100_000;

/** Why Redshift cannot take this --max-errors, or null when it can. */
export function redshiftMaxErrorsProblem(maxErrors: number): string | null {
  return maxErrors > REDSHIFT_MAX_ERRORS
    ? `--max-errors ${maxErrors} is above Redshift's limit: its COPY leaves out at most ${REDSHIFT_MAX_ERRORS.toLocaleString('en-US')} bad rows (MAXERROR)`
    : null;
}

/** MAXERROR 0 is Redshift's default: the first bad row fails the COPY. */
function maxErrorClause(maxErrors: number): string[] {
  const problem = redshiftMaxErrorsProblem(maxErrors);
  if (problem) throw new UsageError(problem);
  return maxErrors > 0 ? [`MAXERROR ${Math.trunc(maxErrors)}`] : [];
}

/** Where a COPY reads (a prefix, or one object's full key), and the table it fills, as SQL. */
export interface CopyTarget {
  from: string;
  into: string;
}

/** Server-side COPY of the log events, mapped through the jsonpaths file. */
export function copyEventsSql(config: Config, maxErrors = 0, build = TableBuild.NONE, target?: CopyTarget): string {
  const { from, into } = target ?? { from: config.s3.logData.uri, into: build.ref('staging_events') };
  return [
    `COPY ${into} (${sourceColumnList(STAGING_EVENTS)}) FROM ${quoteLiteral(from)}`,
    `IAM_ROLE ${quoteLiteral(config.iamRole)}`,
    `FORMAT AS JSON ${quoteLiteral(config.s3.logJsonPath.uri)}`,
    `REGION ${quoteLiteral(config.s3.region)}`,
    'TRUNCATECOLUMNS BLANKSASNULL EMPTYASNULL COMPUPDATE OFF STATUPDATE OFF',
    ...maxErrorClause(maxErrors),
  ].join('\n');
}

/** Server-side COPY of the song files, fields matched to columns by name. */
export function copySongsSql(config: Config, maxErrors = 0, build = TableBuild.NONE, target?: CopyTarget): string {
  const { from, into } = target ?? { from: config.s3.songData.uri, into: build.ref('staging_songs') };
  return [
    `COPY ${into} (${sourceColumnList(STAGING_SONGS)}) FROM ${quoteLiteral(from)}`,
    `IAM_ROLE ${quoteLiteral(config.iamRole)}`,
    `FORMAT AS JSON 'auto' ACCEPTINVCHARS`,
    `REGION ${quoteLiteral(config.s3.region)}`,
    'TRUNCATECOLUMNS COMPUPDATE OFF STATUPDATE OFF',
    ...maxErrorClause(maxErrors),
  ].join('\n');
}
