// A process that takes a lock file `rounds` times and, under it, adds one to a
// counter file in two steps (read, pause, write): if two ever held the lock at
// once, increments would be lost. With `hold`, it takes the lock once, says
// "held" and keeps it until killed.
import { readFileSync, writeFileSync } from 'node:fs';
import { lock, release } from '../../src/warehouse/file-lock.js';

const [file, counter, rounds] = process.argv.slice(2);
if (rounds === 'hold') {
  await lock(file!, 10_000);
  process.stdout.write('held\n');
  setInterval(() => {}, 1000);
} else {
  for (let i = 0; i < Number(rounds); i++) {
    const held = await lock(file!, 30_000);
    const n = Number(readFileSync(counter!, 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 1));
    writeFileSync(counter!, String(n + 1));
    release(held);
  }
}
