import { CURRENT_DIGESTS_SQL, LOAD_DIGESTS_PRESENT_SQL } from '../sql/load-digests.js';
import type { StagingTableName } from '../sql/schema.js';
import type { Warehouse } from '../warehouse/connection.js';
import { isDigest, VersionDigest } from './sources/version-digest.js';

/** A staging table's record as its digest sums it up, while still current. */
export interface RecordDigest {
  record: VersionDigest;
  lastFileId: number;
}

interface DigestRow {
  table_name: StagingTableName;
  file_count: string;
  last_file_id: number;
  digest: string;
}

/** Writes a table's digest with `recordDigestSql` (see recordLoadDigestSql), once its record is written. */
export async function writeLoadDigest(wh: Warehouse, recordDigestSql: string, digest: VersionDigest, signal?: AbortSignal): Promise<void> {
  await wh.query(recordDigestSql, [digest.toString(), digest.count], signal);
}

/** The current digests by table, and the statements read for them (none of them where load_digests does not exist yet). */
export async function readCurrentDigests(wh: Warehouse, signal?: AbortSignal): Promise<{ digests: Map<StagingTableName, RecordDigest>; sent: string[] }> {
  const digests = new Map<StagingTableName, RecordDigest>();
  const present = await wh.query<{ n: string }>(LOAD_DIGESTS_PRESENT_SQL, [], signal);
  if (Number(present.rows[0]!.n) === 0) return { digests, sent: [LOAD_DIGESTS_PRESENT_SQL] };
  const { rows } = await wh.query<DigestRow>(CURRENT_DIGESTS_SQL, [], signal);
  // A row that is not a digest (edited by hand) is not current: that table's record is read.
  for (const r of rows)
    if (isDigest(r.digest)) digests.set(r.table_name, { record: VersionDigest.parse(r.digest, Number(r.file_count)), lastFileId: Number(r.last_file_id) });
  return { digests, sent: [LOAD_DIGESTS_PRESENT_SQL, CURRENT_DIGESTS_SQL] };
}
