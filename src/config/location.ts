import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DataLocation } from './types.js';

/**
 * Reads `s3://bucket/prefix`, `file:///abs/path` or a plain path (relative to
 * the folder of the config file). Returns an error text instead of throwing,
 * so the caller can name the key it came from.
 */
export function parseLocation(value: string, baseDir: string): DataLocation | string {
  if (/^s3:\/\//i.test(value)) {
    const rest = value.slice(5);
    const slash = rest.indexOf('/');
    const bucket = slash === -1 ? rest : rest.slice(0, slash);
    const key = slash === -1 ? '' : rest.slice(slash + 1);
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) return `must name a valid S3 bucket, got "${value}"`;
    return { kind: 's3', uri: value, bucket, key };
  }
  if (/^file:/i.test(value)) {
    try {
      return { kind: 'file', uri: value, path: fileURLToPath(value) };
    } catch {
      return `must be an absolute file:// URI, got "${value}"`;
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return `must be an s3:// URI, a file:// URI or a path, got "${value}"`;
  return { kind: 'file', uri: value, path: path.resolve(baseDir, value) };
}

export function describeLocation(location: DataLocation): string {
  return location.kind === 's3' ? location.uri : location.path;
}
