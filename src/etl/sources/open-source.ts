import type { Config, DataLocation } from '../../config/types.js';
import { localSource } from './local-source.js';
import type { DataSource } from './source.js';

/** The data source for a configured location. */
export function openSource(location: DataLocation, _config: Config): DataSource {
  if (location.kind === 'file') return localSource(location.path);
  throw new Error(`${location.uri}: reading s3:// data into PostgreSQL is not built yet (issue #5); use a local folder, or Redshift, which reads S3 itself`);
}
