import type { Readable } from 'node:stream';

/** One file (or S3 object) of a data set. */
export interface SourceFile {
  /** As shown in messages: a path or an s3:// URI. */
  name: string;
  /** The content as a stream, for large files. */
  open(): Readable;
  /**
   * The whole content at once if it is at most `limit` bytes (most song files
   * are a few hundred), else null: the caller then streams it with open().
   */
  readSmall(limit: number): Promise<Buffer | null>;
}

/** A data set: the files under a folder or S3 prefix, in a stable order. */
export interface DataSource {
  list(): Promise<SourceFile[]>;
  /** The whole of a single small file, e.g. the jsonpaths file. */
  readText(): Promise<string>;
}
