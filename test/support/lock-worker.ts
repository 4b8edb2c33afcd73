// A process that takes a lock file `rounds` times and, under it, adds one to a
// counter file in two steps (read, pause, write): if two ever held the lock at
// once, increments would be lost. On its first try it says whether it found
// the lock held ("waiting") or took it ("took"). With `hold`, it takes the lock
// once, says "held" and keeps it until killed. With `no-links` as a fourth
// argument, it creates locks as on a file system without hard links.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assumeNoHardLinks, lock, release, taking } from '../../src/engines/postgres/embedded/file-lock.js';
import { runSteps } from '../../src/engines/postgres/embedded/steps.js';

const [file, counter, rounds, mode] = process.argv.slice(2);
if (mode === 'no-links') assumeNoHardLinks(path.dirname(file!));
if (rounds === 'hold') {
  await lock(file!, 10_000);
  process.stdout.write('held\n');
  setInterval(() => {}, 1000);
} else {
  for (let i = 0; i < Number(rounds); i++) {
    let held;
    if (i === 0) {
      const steps = taking(file!, 30_000);
      const first = steps.next();
      process.stdout.write(first.done ? 'took\n' : 'waiting\n');
      held = first.done ? first.value : await runSteps(steps);
    } else {
      held = await lock(file!, 30_000);
    }
    const n = Number(readFileSync(counter!, 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 1));
    writeFileSync(counter!, String(n + 1));
    release(held);
  }
}
