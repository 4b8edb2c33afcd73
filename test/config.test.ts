import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/config/config-error.js';
import { loadConfig } from '../src/config/load-config.js';
import { describeConnection, maskSecrets, secretsOf } from '../src/config/mask.js';
import { configFile, loadConfigText } from './support/config-file.js';
import { tempDir } from './support/temp-dir.js';
import { udacityCfg } from './support/udacity-cfg.js';

function errorOf(text: string, env: NodeJS.ProcessEnv = {}): ConfigError {
  try {
    loadConfigText(text, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

// The Udacity project template, as students have it.
const UDACITY_TEMPLATE = udacityCfg();

describe('dwh.cfg', () => {
  it('reads the Udacity template as is, unwrapping quoted values', () => {
    const config = loadConfigText(UDACITY_TEMPLATE);
    expect(config.engine).toBe('redshift');
    expect(config.cluster).toEqual({
      host: 'dwhcluster.c1abcdefgh.us-west-2.redshift.amazonaws.com',
      port: 5439,
      database: 'dwh',
      user: 'dwhuser',
      password: 'Passw0rd#;1',
      sslmode: 'require',
      connectTimeoutSeconds: 10,
    });
    expect(config.iamRole).toBe('arn:aws:iam::123456789012:role/dwhRole');
    expect(config.s3.logData).toEqual({ kind: 's3', uri: 's3://udacity-dend/log_data', bucket: 'udacity-dend', key: 'log_data' });
    expect(config.s3.logJsonPath).toEqual({ kind: 's3', uri: 's3://udacity-dend/log_json_path.json', bucket: 'udacity-dend', key: 'log_json_path.json' });
    expect(config.s3.region).toBe('us-west-2');
    expect(config.aws).toBeNull();
  });

  it('keeps # and ; inside an unquoted value, as configparser does', () => {
    const config = loadConfigText(`[CLUSTER]\nHOST=db.example.com\nDB_PASSWORD=Pa#ss;w0rd\n# a comment\n; another\n`);
    expect(config.cluster.password).toBe('Pa#ss;w0rd');
  });

  it('infers the engine from HOST, and ENGINE overrides it', () => {
    expect(loadConfigText(`[CLUSTER]\nHOST=''\n`).engine).toBe('embedded');
    expect(loadConfigText(`[CLUSTER]\nDB_NAME=x\n`).engine).toBe('embedded');
    expect(loadConfigText(`[CLUSTER]\nHOST=db.internal\n`).engine).toBe('postgres');
    expect(
      loadConfigText(
        `[CLUSTER]\nHOST=wg.123456789012.us-east-1.redshift-serverless.amazonaws.com\n[IAM_ROLE]\nARN=arn:x\n[S3]\nLOG_DATA=s3://bkt/l\nLOG_JSONPATH=s3://bkt/j.json\nSONG_DATA=s3://bkt/s\n`,
      ).engine,
    ).toBe('redshift');
    expect(loadConfigText(`[CLUSTER]\nHOST=localhost\nENGINE=Postgres\n`).engine).toBe('postgres');
    expect(loadConfigText(`[CLUSTER]\nHOST=localhost\nENGINE=embedded\n`).engine).toBe('embedded');
  });

  it('defaults the port by engine: 5439 for Redshift, 5432 for PostgreSQL', () => {
    expect(loadConfigText(`[CLUSTER]\nHOST=db.internal\n`).cluster.port).toBe(5432);
    expect(loadConfigText(UDACITY_TEMPLATE.replace("DB_PORT='5439'", '')).cluster.port).toBe(5439);
  });

  it('resolves plain paths against the folder of the config file, and reads file:// URIs', () => {
    const file = configFile(`[S3]\nLOG_DATA=data/logs\nSONG_DATA=file:///srv/songs\n`);
    const dir = path.dirname(file);
    const config = loadConfig({ configPath: file, cwd: '/' });
    expect(config.s3.logData).toEqual({ kind: 'file', uri: 'data/logs', path: path.join(dir, 'data/logs') });
    expect(config.s3.songData).toEqual({ kind: 'file', uri: 'file:///srv/songs', path: '/srv/songs' });
    expect(config.stateDir).toBe(path.join(dir, '.sparkify'));
  });

  it('without a dwh.cfg, runs the embedded engine on the generated default sample', () => {
    const dir = tempDir();
    const config = loadConfig({ cwd: dir, env: {} });
    expect(config.file).toBeNull();
    expect(config.engine).toBe('embedded');
    expect(config.s3.logData).toMatchObject({ kind: 'file', path: path.join(dir, '.sparkify/sample/log_data') });
    expect(config.stateDir).toBe(path.join(dir, '.sparkify'));
    expect(config.defaultSample).toBe(path.join(dir, '.sparkify/sample'));
    expect(loadConfigText(`[S3]\nLOG_DATA=a\nLOG_JSONPATH=b\nSONG_DATA=c\n`).defaultSample).toBeNull();
  });

  it('lets SPARKIFY_<SECTION>_<KEY> override a value', () => {
    const config = loadConfigText(`[CLUSTER]\nHOST=db.internal\nDB_PASSWORD=file-secret\n`, {
      SPARKIFY_CLUSTER_DB_PASSWORD: 'env-secret',
      SPARKIFY_CLUSTER_DB_PORT: '6543',
      SPARKIFY_S3_REGION: 'eu-west-1',
    });
    expect(config.cluster.password).toBe('env-secret');
    expect(config.cluster.port).toBe(6543);
    expect(config.s3.region).toBe('eu-west-1');
  });

  it('names file, section, key and value in errors, with exit code 2', () => {
    const error = errorOf(`[CLUSTER]\nHOST=db.internal\nDB_PORT=abc\n`);
    expect(error.message).toBe('dwh.cfg: [CLUSTER] DB_PORT must be a port number, got "abc"');
    expect(error.exitCode).toBe(2);
    expect(errorOf(`[CLUSTER]\nENGINE=oracle\n`).message).toBe('dwh.cfg: [CLUSTER] ENGINE must be one of embedded, postgres, redshift, got "oracle"');
    expect(errorOf(`[CLUSTER]\nHOST=h\nSSLMODE=maybe\n`).message).toBe(
      'dwh.cfg: [CLUSTER] SSLMODE must be one of disable, require, verify-ca, verify-full, got "maybe"',
    );
    expect(errorOf(`[CLUSTER]\nHOST=h\n`, { SPARKIFY_CLUSTER_DB_PORT: '70000' }).message).toBe('SPARKIFY_CLUSTER_DB_PORT must be a port number, got "70000"');
    expect(errorOf(`[S3]\nLOG_DATA=http://example.com/logs\n`).message).toBe(
      'dwh.cfg: [S3] LOG_DATA must be an s3:// URI, a file:// URI or a path, got "http://example.com/logs"',
    );
    expect(errorOf(`[CLUSTER]\nENGINE=postgres\n`).message).toBe('dwh.cfg: [CLUSTER] HOST is required for ENGINE = postgres');
  });

  it('names the line of a syntax error or an unknown key', () => {
    expect(errorOf(`[CLUSTER]\nHOST=h\nthis is not a setting\n`).message).toBe('dwh.cfg: line 3: expected "KEY = value", got "this is not a setting"');
    expect(errorOf(`HOST=h\n`).message).toBe('dwh.cfg: line 1: "HOST" is outside any [SECTION]');
    // A line that may hold a secret is named, not quoted back.
    expect(errorOf(`[CLUSTER]\nHOST=h\nDB_PASSWORD hunter2\n`).message).toBe(
      'dwh.cfg: line 3: expected "KEY = value", got a line not shown here (it may hold a secret)',
    );
    expect(errorOf(`[CLUSTER]\nHOST=h\nDB_PASSWORD=\nhunter2 is it\n`).message).toBe(
      'dwh.cfg: line 4: expected "KEY = value", got a line not shown here (it may hold a secret)',
    );
    expect(errorOf(`[AWS]\nKEY=AKIAEXAMPLE\nsecret wJalrXUtnFEMI/K7MDENG\n`).message).toBe(
      'dwh.cfg: line 3: expected "KEY = value", got a line not shown here (it may hold a secret)',
    );
    expect(errorOf(`[CLUSTER]\nDB_PASSWORD=x\n\nnot a setting\n`).message).toBe('dwh.cfg: line 4: expected "KEY = value", got "not a setting"');
    expect(errorOf(`[CLUSTER]\nHOST=h\nDB_PASWORD=x\n`).message).toBe(
      'dwh.cfg: line 3: unknown key DB_PASWORD in [CLUSTER] (known: HOST, DB_NAME, DB_USER, DB_PASSWORD, DB_PORT, ENGINE, SSLMODE, CONNECT_TIMEOUT, SERVERLESS)',
    );
  });

  it('ignores sections that are not its own, such as the IaC notebook [DWH]', () => {
    expect(loadConfigText(`[DWH]\nDWH_CLUSTER_TYPE=multi-node\n[CLUSTER]\nHOST=h\n`).engine).toBe('postgres');
  });

  it('requires what Redshift needs: S3 locations and an IAM role', () => {
    expect(errorOf(UDACITY_TEMPLATE.replace("ARN='arn:aws:iam::123456789012:role/dwhRole'", 'ARN=')).message).toBe(
      'dwh.cfg: [IAM_ROLE] ARN is required for Redshift (the role the cluster uses to read S3)',
    );
    expect(errorOf(UDACITY_TEMPLATE.replace("LOG_DATA='s3://udacity-dend/log_data'", 'LOG_DATA=logs')).message).toBe(
      'dwh.cfg: [S3] LOG_DATA must be an s3:// URI for Redshift, got "logs"',
    );
  });

  it('says when an explicit --config file is missing', () => {
    expect(() => loadConfig({ configPath: 'nope.cfg', cwd: tempDir() })).toThrow('nope.cfg: no such file (copy dwh.cfg.example to start one)');
  });

  it('never shows the password or AWS secret', () => {
    const config = loadConfigText(`${UDACITY_TEMPLATE}\n[AWS]\nKEY=AKIAEXAMPLE\nSECRET=wJalrXUtnFEMI/K7MDENG\n`);
    expect(describeConnection(config)).toBe('dwhuser:****@dwhcluster.c1abcdefgh.us-west-2.redshift.amazonaws.com:5439/dwh');
    const leaked = `password=Passw0rd#;1 secret=wJalrXUtnFEMI/K7MDENG`;
    expect(maskSecrets(leaked, secretsOf(config))).toBe('password=**** secret=****');
  });

  it('names a bad DB_PORT with its value, and never a password, whatever its value', () => {
    for (const password of ["'p@ss 5432x'", 'a=b:c', '#;x', '"', 'x\n  continued', '']) {
      const error = errorOf(`[CLUSTER]\nHOST=db.internal\nDB_PASSWORD=${password}\nDB_PORT=5432x\n`);
      expect(error.message).toBe('dwh.cfg: [CLUSTER] DB_PORT must be a port number, got "5432x"');
    }
  });
});
