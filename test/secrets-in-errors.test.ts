import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { describeFailure } from '../src/commands/describe-failure.js';
import { withWarehouse } from '../src/commands/with-warehouse.js';
import { loadConfig } from '../src/config/load-config.js';
import { messageOf } from '../src/error-message.js';
import { MINI } from './support/fixtures.js';
import { runCli } from './support/run-cli.js';
import { logInAs, writeTestConfig } from './support/warehouse.js';

// A password no table, role or word is spelled like.
const PASSWORD = 'Tr0ub4dor&3';

describe('a server error that quotes the password', () => {
  it('is masked, on the way to the command line and to the app, keeping its code', async () => {
    const { file } = await writeTestConfig(MINI);
    await logInAs(file, 'quoted_password', PASSWORD);
    const config = loadConfig({ configPath: file });

    const failed = await withWarehouse(config, (wh) => wh.query('SELECT $1::int', [PASSWORD])).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: '22P02' });
    expect(describeFailure(failed)).toEqual({ message: 'invalid input syntax for type integer: "****"', exitCode: 1 });

    const inApp = await withWarehouse(config, async (wh) => {
      await wh.query('CREATE TABLE secrets (name text PRIMARY KEY)');
      await wh.query(`INSERT INTO secrets VALUES ('${PASSWORD}')`);
      return wh.query(`INSERT INTO secrets VALUES ('${PASSWORD}')`).then(
        () => 'inserted',
        (error: unknown) => wh.mask(messageOf(error)),
      );
    });
    expect(inApp).toBe('duplicate key value violates unique constraint "secrets_pkey" (Key (name)=(****) already exists.)');
  });
});

describe('a password spelled as people spell them', () => {
  it('is masked where the server quotes it (Summer2024); one equal to the user name is left where it names the role', async () => {
    const { file } = await writeTestConfig(MINI);
    await logInAs(file, 'summer_reader', 'Summer2024');
    const quoted = await withWarehouse(loadConfig({ configPath: file }), (wh) => wh.query('SELECT $1::int', ['Summer2024'])).catch((error: unknown) => error);
    expect(describeFailure(quoted)).toEqual({ message: 'invalid input syntax for type integer: "****"', exitCode: 1 });

    const named = (await writeTestConfig(MINI)).file;
    await logInAs(named, 'named_loader', 'named_loader');
    const role = await withWarehouse(loadConfig({ configPath: named }), (wh) => wh.query('SELECT current_user::text::int')).catch((error: unknown) => error);
    expect(describeFailure(role)).toEqual({ message: 'invalid input syntax for type integer: "named_loader"', exitCode: 1 });
  });
});

describe('an S3 error that echoes the session token', () => {
  it('is masked in the line of the stage that failed', async () => {
    const token = 'FwoGZXIvYXdzEJr//////////wEaDOkEXAMPLE+TOKEN/Lm9pqRs=';
    // An S3-compatible server that quotes the token header back in its error.
    const server = http.createServer((request, response) => {
      response.writeHead(400, { 'content-type': 'application/xml' });
      response.end(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidToken</Code><Message>The provided token is malformed: ${String(request.headers['x-amz-security-token'])}</Message></Error>`,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { file } = await writeTestConfig(MINI);
      expect((await runCli(['reset', '--yes', '--config', file])).code).toBe(0);
      const env = {
        SPARKIFY_S3_ENDPOINT: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        SPARKIFY_S3_LOG_DATA: 's3://sparkify/log_data',
        SPARKIFY_S3_LOG_JSONPATH: 's3://sparkify/log_json_path.json',
        SPARKIFY_S3_SONG_DATA: 's3://sparkify/song_data',
        SPARKIFY_AWS_KEY: 'AKIAEXAMPLEKEY',
        SPARKIFY_AWS_SECRET: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        SPARKIFY_AWS_SESSION_TOKEN: token,
      };
      const { code, stderr } = await runCli(['etl', '--stage', 'staging_events', '--config', file], { env });
      expect(code).toBe(1);
      expect(stderr).toContain('\n  error: s3://sparkify/log_json_path.json: The provided token is malformed: ****\n');
      expect(stderr).not.toContain(token);
    } finally {
      server.close();
    }
  });
});
