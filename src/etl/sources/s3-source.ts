import { PassThrough } from 'node:stream';
import { maskSecrets, secretsOf } from '../../config/mask.js';
import { configuredNames } from '../../config/output-words.js';
import type { Config } from '../../config/types.js';
import type { S3Client } from '@aws-sdk/client-s3';
import { InputError } from '../input-error.js';
import { readAhead } from './read-ahead.js';
import type * as S3Module from './s3-client.js';
import { catalogOf, type DataSource, type SourceFile } from './source.js';

type S3 = typeof S3Module;

/** The AWS SDK loads only when an s3:// location is read: it costs ~0.2 s at start. */
function connect(config: Config): () => Promise<{ client: S3Client; s3: S3 }> {
  let ready: Promise<{ client: S3Client; s3: S3 }> | undefined;
  return () => (ready ??= import('./s3-client.js').then((s3) => ({ client: s3.makeS3Client(config), s3 })));
}

interface S3Location {
  uri: string;
  bucket: string;
  key: string;
}

/**
 * One clear line for the S3 errors people meet: wrong bucket, rights, region,
 * endpoint; any other is the SDK's message, which may echo parts of the
 * request (a header such as the session token), with the secrets masked.
 */
export function describeS3Error(error: unknown, config: Config): string {
  const { name, Code, code, message, $metadata } = (error ?? {}) as {
    name?: string;
    Code?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  const what = Code ?? name ?? code;
  const status = $metadata?.httpStatusCode;
  if (what === 'NoSuchBucket') return 'no such bucket';
  if (what === 'NoSuchKey') return 'no such object';
  if (what === 'AccessDenied' || what === 'InvalidAccessKeyId' || what === 'SignatureDoesNotMatch' || status === 403)
    return 'access denied (check [AWS] KEY and SECRET, or the bucket policy)';
  if (what === 'PermanentRedirect' || what === 'AuthorizationHeaderMalformed' || status === 301) {
    return `the bucket is not in region ${config.s3.region} (set [S3] REGION)`;
  }
  if (what === 'ECONNREFUSED' || what === 'ENOTFOUND' || what === 'EAI_AGAIN' || /ECONNREFUSED|ENOTFOUND|getaddrinfo/.test(message ?? '')) {
    return `cannot reach the S3 endpoint ${config.s3.endpoint ?? `for ${config.s3.region}`}`;
  }
  return maskSecrets(message ?? String(error), secretsOf(config), configuredNames(config));
}

/** Objects being fetched while the current one is parsed: S3 answers each in tens of milliseconds. */
const READ_AHEAD = 32;

/** Every *.json object under an S3 prefix (listed page by page, sorted by key), or one object. */
export function s3Source(location: S3Location, config: Config): DataSource {
  const connected = connect(config);
  const fail = (error: unknown, uri = location.uri): never => {
    throw new InputError(uri, null, describeS3Error(error, config));
  };
  const body = async (key: string) => {
    const { client, s3 } = await connected();
    return s3.getObject(client, location.bucket, key);
  };
  const fileOf = ({ key, size, etag, modifiedAt }: S3Module.S3Object): SourceFile => {
    const uri = `s3://${location.bucket}/${key}`;
    return {
      name: uri,
      etag,
      modifiedMs: modifiedAt?.getTime() ?? null,
      chunks() {
        const out = new PassThrough();
        body(key).then(
          (stream) => stream.on('error', (e) => out.destroy(e)).pipe(out),
          (error) => out.destroy(new InputError(uri, null, describeS3Error(error, config))),
        );
        return out;
      },
      async readSmall(limit) {
        if (size > limit) return null;
        try {
          return Buffer.from(await (await body(key)).transformToByteArray());
        } catch (error) {
          return fail(error, uri);
        }
      },
    };
  };
  /** The .json objects, sorted by key, each with the key that extends its own, if any (of every object listed). */
  const listed = async () => {
    const all: S3Module.S3Object[] = [];
    try {
      const { client, s3 } = await connected();
      for await (const object of s3.listObjects(client, location.bucket, location.key)) all.push(object);
    } catch (error) {
      fail(error);
    }
    all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    // Sorted, the keys that start with a key come right after it.
    const objects = all.flatMap((object, i): (S3Module.S3Object & { extendedBy?: string })[] => {
      if (!object.key.endsWith('.json')) return [];
      const next = all[i + 1];
      return [next?.key.startsWith(object.key) ? { ...object, extendedBy: `s3://${location.bucket}/${next.key}` } : object];
    });
    return objects;
  };
  const noObjects = () => new InputError(location.uri, null, 'no .json objects under this prefix');
  const keyOf = (name: string) => name.slice(`s3://${location.bucket}/`.length);
  return {
    async list() {
      const objects = await listed();
      if (objects.length === 0) throw noObjects();
      return objects.map(fileOf);
    },
    async catalog() {
      return catalogOf(
        (await listed()).map(({ key, size, etag, modifiedAt, extendedBy }) => ({
          name: `s3://${location.bucket}/${key}`,
          size,
          etag,
          modifiedMs: modifiedAt?.getTime() ?? null,
          ...(extendedBy ? { extendedBy } : {}),
        })),
      );
    },
    async loadListed(files) {
      const chosen = files.map((f) =>
        fileOf({ key: keyOf(f.name), size: f.size, etag: f.etag, modifiedAt: f.modifiedMs === null ? null : new Date(f.modifiedMs) }),
      );
      return { count: chosen.length, contents: readAhead(chosen, READ_AHEAD), close() {} };
    },
    async load() {
      const files = await this.list();
      // Nothing is requested until the contents are read.
      return { count: files.length, contents: readAhead(files, READ_AHEAD), close() {} };
    },
    async readText() {
      try {
        return Buffer.from(await (await body(location.key)).transformToByteArray()).toString('utf8');
      } catch (error) {
        return fail(error);
      }
    },
  };
}
