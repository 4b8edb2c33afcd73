import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { tempDir } from './temp-dir.js';

const CHILD = fileURLToPath(new URL('./s3rver-child.mjs', import.meta.url));

export interface TestS3 {
  endpoint: string;
  client: S3Client;
  stop(): Promise<void>;
}

/** Starts s3rver (its fixed credentials are S3RVER / S3RVER) with the given buckets. */
export async function startS3(buckets: string[]): Promise<TestS3> {
  const child: ChildProcess = spawn(process.execPath, ['--openssl-legacy-provider', CHILD, tempDir('sparkify-s3-'), ...buckets], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
    child.once('exit', (code) => reject(new Error(`s3rver exited with ${code}`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const client = new S3Client({
    region: 'us-west-2',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    // Otherwise PutObject bodies are stored with their aws-chunked framing.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return {
    endpoint,
    client,
    stop: () =>
      new Promise<void>((resolve) => {
        client.destroy();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Uploads every file under `dir` to bucket/prefix/<relative path>, 32 at a time. */
export async function uploadFolder(s3: TestS3, dir: string, bucket: string, prefix: string): Promise<number> {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
  for (let i = 0; i < files.length; i += 32) {
    await Promise.all(
      files
        .slice(i, i + 32)
        .map((file) => s3.client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}${path.relative(dir, file)}`, Body: readFileSync(file) }))),
    );
  }
  return files.length;
}
