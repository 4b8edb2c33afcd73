/** A file version as load_history records it, or as a source lists it. */
export interface FileVersionOf {
  name: string;
  size: number;
  modifiedMs: number | null;
  etag: string | null;
}

const TWO_32 = 2 ** 32;
const DIGEST = /^[0-9a-f]{16}$/;

/** Whether a text is a digest as toString() writes it. */
export function isDigest(text: string): boolean {
  return DIGEST.test(text);
}

/**
 * An order-free digest of a set of file versions: the sum, in two 32-bit
 * lanes, of a 64-bit hash of each (cyrb53's mixing) over what sameVersion
 * compares: the name and the ETag, or the name, size and modification time.
 * Being a sum, it is the same in any order and adds up from parts (a
 * listing thread's half, the records a run keeps and the files it adds).
 * It is no defence against someone forging a listing, only against chance.
 */
export class VersionDigest {
  private lo = 0;
  private hi = 0;

  constructor(public count = 0) {}

  static parse(text: string, count: number): VersionDigest {
    if (!DIGEST.test(text)) throw new Error(`load_digests: not a digest: ${JSON.stringify(text)}`);
    const digest = new VersionDigest(count);
    digest.hi = parseInt(text.slice(0, 8), 16);
    digest.lo = parseInt(text.slice(8), 16);
    return digest;
  }

  static of(files: Iterable<FileVersionOf>): VersionDigest {
    const digest = new VersionDigest();
    for (const f of files) digest.add(f);
    return digest;
  }

  copy(): VersionDigest {
    const digest = new VersionDigest(this.count);
    digest.lo = this.lo;
    digest.hi = this.hi;
    return digest;
  }

  add(file: FileVersionOf): void {
    this.addParts(file.name, file.size, file.modifiedMs, file.etag);
  }

  /** A file by the parts of its version, with no object made for it (a listing thread's files, a record's rows). */
  addParts(name: string, size: number, modifiedMs: number | null, etag: string | null): void {
    hashVersion(name, size, modifiedMs, etag);
    this.lo = (this.lo + (h1 >>> 0)) >>> 0;
    this.hi = (this.hi + (h2 >>> 0)) >>> 0;
    this.count++;
  }

  /** The digest of both sets together. */
  plus(other: VersionDigest): VersionDigest {
    const sum = new VersionDigest(this.count + other.count);
    sum.lo = (this.lo + other.lo) >>> 0;
    sum.hi = (this.hi + other.hi) >>> 0;
    return sum;
  }

  equals(other: VersionDigest): boolean {
    return this.count === other.count && this.lo === other.lo && this.hi === other.hi;
  }

  toString(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }
}

// The hash's state, at module level: closures per file cost 100k allocations a listing.
let h1 = 0;
let h2 = 0;

function take(c: number): void {
  h1 = Math.imul(h1 ^ c, 2654435761);
  h2 = Math.imul(h2 ^ c, 1597334677);
}

function takeText(text: string, from = 0, to = text.length): void {
  for (let i = from; i < to; i++) take(text.charCodeAt(i));
}

const SEED1 = 0xdeadbeef;
const SEED2 = 0x41c6ce57;

// The state after the last name's folder (the seeds, for none): the files of a folder come one after another, and their names differ only after it.
let folder = '';
let folderH1 = SEED1;
let folderH2 = SEED2;

function takeName(name: string): void {
  const cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1;
  if (cut !== folder.length || !name.startsWith(folder)) {
    h1 = SEED1;
    h2 = SEED2;
    takeText(name, 0, cut);
    [folder, folderH1, folderH2] = [name.slice(0, cut), h1, h2];
  }
  h1 = folderH1;
  h2 = folderH2;
  takeText(name, cut);
}

function takeNumber(n: number): void {
  take((n % TWO_32) >>> 0);
  take(Math.floor(n / TWO_32) >>> 0);
}

/** Leaves the version's hash in h1, h2. */
function hashVersion(name: string, size: number, modifiedMs: number | null, etag: string | null): void {
  takeName(name);
  if (etag !== null) {
    take(0x10001);
    takeText(etag);
  } else {
    take(0x10002);
    takeNumber(size);
    if (modifiedMs === null) take(0x10003);
    else takeNumber(modifiedMs);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
}
