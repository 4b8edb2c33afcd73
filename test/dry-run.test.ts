import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.js';
import { tempDir } from './support/temp-dir.js';
import { udacityCfg } from './support/udacity-cfg.js';

// A Redshift configuration whose host does not exist: a dry run must not try to connect.
const REDSHIFT_CFG = `${udacityCfg('Passw0rd-Secret')}
[AWS]
KEY=AKIAEXAMPLEKEY
SECRET=wJalrXUtnFEMI-Secret
`;

function configFile(text: string): string {
  const file = path.join(tempDir(), 'dwh.cfg');
  writeFileSync(file, text);
  return file;
}

describe('--dry-run', () => {
  it('prints the exact Redshift SQL of a reload, in order, without connecting', async () => {
    const result = await runCli(['reload', '--dry-run', '--config', configFile(REDSHIFT_CFG)]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatchSnapshot();
    expect(result.stdout).not.toContain('Passw0rd-Secret');
    expect(result.stdout).not.toContain('wJalrXUtnFEMI-Secret');
  });

  it('prints the Redshift COPY statements of the extract stages', async () => {
    const { stdout } = await runCli(['etl', '--dry-run', '--stage', 'staging_events', '--stage', 'staging_songs', '--config', configFile(REDSHIFT_CFG)]);
    expect(stdout.split('\n').slice(3).join('\n')).toBe(`BEGIN;

DELETE FROM staging_events;

COPY staging_events FROM 's3://udacity-dend/log_data'
IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'
FORMAT AS JSON 's3://udacity-dend/log_json_path.json'
REGION 'us-west-2'
TRUNCATECOLUMNS BLANKSASNULL EMPTYASNULL COMPUPDATE OFF STATUPDATE OFF;

DELETE FROM staging_songs;

COPY staging_songs FROM 's3://udacity-dend/song_data'
IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'
FORMAT AS JSON 'auto' ACCEPTINVCHARS
REGION 'us-west-2'
TRUNCATECOLUMNS COMPUPDATE OFF STATUPDATE OFF;

COMMIT;
`);
  });

  it('quotes every config value: a quote in the ARN or a path cannot end the statement', async () => {
    const evil = REDSHIFT_CFG.replace("ARN='arn:aws:iam::123456789012:role/dwhRole'", "ARN=arn:aws:iam::1:role/x'; DROP TABLE users; --").replace(
      "LOG_DATA='s3://udacity-dend/log_data'",
      "LOG_DATA=s3://udacity-dend/it's'; DROP TABLE songs; --",
    );
    const { stdout } = await runCli(['etl', '--dry-run', '--stage', 'staging_events', '--config', configFile(evil)]);
    expect(stdout).toContain(`COPY staging_events FROM 's3://udacity-dend/it''s''; DROP TABLE songs; --'\nIAM_ROLE 'arn:aws:iam::1:role/x''; DROP TABLE users; --'\n`);
  });

  it('prints the PostgreSQL plan of reset without connecting (the server named does not exist)', async () => {
    const { code, stdout } = await runCli(['reset', '--dry-run', '--config', configFile('[CLUSTER]\nHOST=127.0.0.1\nDB_PORT=1\n')]);
    expect(code).toBe(0);
    const statements = stdout
      .split('\n')
      .filter((line) => !line.startsWith('--'))
      .join('\n')
      .split(';\n')
      .map((s) => s.trim())
      .filter(Boolean);
    expect(statements[0]).toBe('BEGIN');
    expect(statements.at(-1)).toBe('COMMIT');
    expect(statements.filter((s) => s.startsWith('CREATE UNLOGGED TABLE'))).toHaveLength(2);
    expect(statements.filter((s) => s.startsWith('CREATE TABLE'))).toHaveLength(5);
  });
});
