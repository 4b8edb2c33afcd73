import { VersionDigest } from './version-digest.js';
/** One file (or S3 object) of a data set. */
export interface SourceFile {
  /** As shown in messages: a path or an s3:// URI. */
  name: string;
  /** The version read, as load_history records it: a local file's modification time when opened, S3's LastModified. */
  readonly modifiedMs: number | null;
  /** S3's ETag as listed; null for a local file. */
  readonly etag: string | null;
  /** The content in pieces, for large files; a piece may be overwritten by the next. */
  chunks(): AsyncIterable<Buffer>;
  /**
   * The whole content at once if it is at most `limit` bytes (most song files
   * are a few hundred), else null: the caller then reads it with chunks().
   */
  readSmall(limit: number): Promise<Buffer | null>;
}

/** Files up to this size are read whole; larger ones are streamed. */
export const SMALL_FILE = 1 << 20;

/**
 * A small file's whole content, or a large file's content in pieces; a piece
 * may be overwritten by the next one, so it is used before asking for that.
 */
export type FileContent = { file: SourceFile; content: Buffer; chunks?: never } | { file: SourceFile; content?: never; chunks: AsyncIterable<Buffer> };

/** A file as a listing sees it: what tells one version of it from the next. */
export interface ListedFile {
  name: string;
  size: number;
  /** The local file's modification time (milliseconds); S3's LastModified. */
  modifiedMs: number | null;
  /** S3's ETag; null for a local file. */
  etag: string | null;
  /** S3: another object whose key starts with this one's (a COPY of this key would load both). */
  extendedBy?: string;
}

/** A source's files, and the digest of their versions (what an incremental run compares with its record's). */
export interface Catalog {
  /** Null where the source did not hand them over: their digest is the one it was told of. */
  files: ListedFile[] | null;
  digest: VersionDigest;
}

/** A data set: the files under a folder or S3 prefix, in a stable order. */
export interface DataSource {
  list(): Promise<SourceFile[]>;
  /**
   * Every file with its size and version, in the order load() reads them
   * (none is not an error here, as it is for load()). `known`: a digest the
   * files need not be handed over for, if theirs is the same.
   */
  catalog(known?: Promise<VersionDigest | null>): Promise<Catalog>;
  /** Only these files (from catalog()), in their order. */
  loadListed(files: readonly ListedFile[]): Promise<FileSet>;
  /**
   * The files to load: how many, and their contents in order, read ahead as
   * suits the source (a large local folder starts being read at once, in a
   * reader thread, unless `onThisThread`).
   */
  load(options?: LoadOptions): Promise<FileSet>;
  /** The whole of a single small file, e.g. the jsonpaths file. */
  readText(): Promise<string>;
}

export interface LoadOptions {
  /** Read local files on this thread only as they are asked for: for rows made in lent time (IdleTime). */
  onThisThread?: boolean;
}

export interface FileSet {
  count: number;
  contents: AsyncIterable<FileContent>;
  /** Stops reading ahead, for a set whose contents are not (all) read; reading them to the end does it too. */
  close(): void;
}

export function catalogOf(files: ListedFile[]): Catalog {
  return { files, digest: VersionDigest.of(files) };
}
