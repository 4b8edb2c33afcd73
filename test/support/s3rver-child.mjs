// An S3 server for the tests, in its own process so that it can run with
// --openssl-legacy-provider: s3rver 3.7.1 encrypts listing continuation tokens
// with DES, and without the flag any listing past 1,000 keys fails with HTTP 500.
import S3rver from 's3rver';

const [directory, ...buckets] = process.argv.slice(2);
const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: buckets.map((name) => ({ name })) });
const { port } = await server.run();
process.stdout.write(`${port}\n`);
process.on('SIGTERM', () => {
  void server.close(() => process.exit(0));
});
