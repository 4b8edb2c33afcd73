import type { Config, DataLocation } from '../../config/types.js';
import { localSource } from './local-source.js';
import { s3Source } from './s3-source.js';
import type { DataSource } from './source.js';

/** The data source for a configured location. */
export function openSource(location: DataLocation, config: Config): DataSource {
  return location.kind === 'file' ? localSource(location.path) : s3Source(location, config);
}
