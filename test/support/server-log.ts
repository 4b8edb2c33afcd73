import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { inject } from 'vitest';

/**
 * The test server's own log, read from where it stood when a test began:
 * with `log_statement = 'all'` set on a database, PostgreSQL writes there
 * every statement each session sends. This is the server's record of what
 * ran, not sparkify's idea of what it sent.
 */
export class ServerLog {
  private readonly file = inject('testServer').logFile;
  private readonly from = statSync(this.file).size;

  /** The statements the server logged for one session (its backend pid), in order, as it received them. */
  statementsOf(pid: number): string[] {
    const size = statSync(this.file).size;
    const buffer = Buffer.alloc(size - this.from);
    const fd = openSync(this.file, 'r');
    try {
      readSync(fd, buffer, 0, buffer.length, this.from);
    } finally {
      closeSync(fd);
    }
    const statements: string[] = [];
    let current: { pid: number; text: string } | null = null;
    const flush = () => {
      if (current?.pid === pid) statements.push(current.text);
      current = null;
    };
    // An entry: `<date> <time> <zone> [<pid>] LOG:  statement: <sql>`, or `execute <name>: <sql>` for
    // a statement with bind parameters; a statement's further lines follow, each after a tab.
    for (const line of buffer.toString('utf8').replace(/\n$/, '').split('\n')) {
      const entry = /^\S+ \S+ \S+ \[(\d+)\] ([A-Z]+): {2}(.*)$/.exec(line);
      if (entry) {
        flush();
        const sent = entry[2] === 'LOG' ? /^(?:statement|execute [^:]+): ([\s\S]*)$/.exec(entry[3]!) : null;
        if (sent) current = { pid: Number(entry[1]), text: sent[1]! };
      } else if (current) {
        current.text += `\n${line.replace(/^\t/, '')}`;
      }
    }
    flush();
    return statements;
  }
}
