/** What the reader thread (reader-thread.ts) and readFolder (local-reader.ts) send each other. */

/** What the thread is given, as its workerData. */
export interface ReaderThreadData {
  root: string;
  /** A file of this many bytes or more is not read here (the other thread reads it in chunks). */
  limit: number;
  batchSize: number;
  aheadBytes: number;
}

/** What the thread is given to list a folder instead: each *.json file's size and modification time, without reading it. */
export interface ListingThreadData {
  /** Folders (walked in turn) and files, in the walk's order (see walkedEntries). */
  list: { path: string; isDirectory: boolean }[];
  batchSize: number;
}

/** Files listed: their names (joined by newlines), sizes and modification times (whole milliseconds). */
export type ListedBatch = { listed: string; sizes: Float64Array<ArrayBuffer>; modified: Float64Array<ArrayBuffer> };
/** Every file is listed: the digest of their versions (see VersionDigest) as text, and how many there are. */
export type ListingSummed = { digest: string; count: number };
/** The thread's messages when it lists: ListingSummed, then (if asked) batches and Done; or Failed. */
export type ListingReply = ListingSummed | ListedBatch | Failed | Done;
/** What the other thread asks of a listing thread, once it has the digest: the files. */
export type ListingRequest = { send: true };

/** In a batch's sizes: a file too large to read whole. */
export const TOO_LARGE = -1;

/**
 * Files read: their names (joined by newlines: one string is one memcpy to
 * copy), their bytes one after another, each one's length or TOO_LARGE, and
 * each one's modification time (milliseconds) as it was read.
 */
export type Batch = { names: string; data: Uint8Array<ArrayBuffer>; sizes: Int32Array<ArrayBuffer>; modified: Float64Array<ArrayBuffer> };
/** A file or folder that cannot be read, and the error's code: the end of the reading. */
export type Failed = { failed: string; code: string };
/** Every file has been sent. */
export type Done = { done: true };
/** The thread's messages: the count first (or Failed), then batches until Done or Failed. */
export type ReaderReply = { count: number } | Batch | Failed | Done;
/** The other thread's messages: the bytes of a batch it has taken. */
export type ReaderRequest = { taken: number };
