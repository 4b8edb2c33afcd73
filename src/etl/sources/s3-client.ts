import type { Readable } from 'node:stream';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../../config/types.js';

// This module is the only one that imports the SDK, and statically: s3-source
// loads it with import() when an s3:// location is read. A dynamic import of
// the SDK itself (a CommonJS package) gives only a `default` export in the
// esbuild bundle, so `sdk.GetObjectCommand` would be undefined there.

/**
 * An S3 client for the configured region and endpoint. Credentials come from
 * [AWS] in dwh.cfg, else from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; with
 * neither, requests go unsigned (the Udacity bucket is public). The SDK's full
 * default chain is not used: it would query the EC2 metadata service, and
 * sparkify talks to nothing but the database and the S3 endpoint.
 */
export function makeS3Client(config: Config, env: NodeJS.ProcessEnv = process.env): S3Client {
  // The SDK warns on every start under Node 20 that later versions will need Node 22.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const key = config.aws?.key ?? env.AWS_ACCESS_KEY_ID;
  const secret = config.aws?.secret ?? env.AWS_SECRET_ACCESS_KEY;
  const sessionToken = config.aws?.sessionToken ?? env.AWS_SESSION_TOKEN;
  return new S3Client({
    region: config.s3.region,
    ...(config.s3.endpoint ? { endpoint: config.s3.endpoint, forcePathStyle: true } : {}),
    ...(key && secret
      ? { credentials: { accessKeyId: key, secretAccessKey: secret, ...(sessionToken ? { sessionToken } : {}) } }
      : {
          // Unsigned: the signer leaves requests as they are; the SDK still asks
          // for credentials before signing, so it gets placeholders it never uses.
          signer: { sign: async (request) => request },
          credentials: { accessKeyId: 'anonymous', secretAccessKey: 'anonymous' },
        }),
    // Checksums only where S3 requires them: S3-compatible servers differ on the rest.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
}

export interface S3Object {
  key: string;
  size: number;
  /** Changes whenever the object is written anew. */
  etag: string | null;
  modifiedAt: Date | null;
}

/** Every object under a prefix, listed page by page (S3 gives at most 1,000 a page). */
export async function* listObjects(client: S3Client, bucket: string, prefix: string): AsyncGenerator<S3Object> {
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) {
      yield { key: object.Key!, size: object.Size ?? 0, etag: object.ETag?.replaceAll('"', '') ?? null, modifiedAt: object.LastModified ?? null };
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
}

export type ObjectBody = Readable & { transformToByteArray(): Promise<Uint8Array> };

/** An object's content as a stream. */
export async function getObject(client: S3Client, bucket: string, key: string): Promise<ObjectBody> {
  const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return response.Body as ObjectBody;
}
