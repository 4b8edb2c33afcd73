import type { Random } from './random.js';
import { FIRST_NAMES, LAST_NAMES, LOCATIONS, USER_AGENTS } from './vocabulary.js';

export interface Listener {
  id: string;
  firstName: string;
  lastName: string;
  gender: 'F' | 'M';
  location: string;
  userAgent: string;
  registration: number;
  level: 'free' | 'paid';
}

export function makeListeners(random: Random, count: number, start: number): Listener[] {
  return Array.from({ length: count }, (_, i) => ({
    id: String(i + 1),
    firstName: random.pick(FIRST_NAMES),
    lastName: random.pick(LAST_NAMES),
    gender: random.chance(0.55) ? 'F' : 'M',
    location: random.pick(LOCATIONS),
    userAgent: random.pick(USER_AGENTS),
    // Registered some time in the year before the logs start; a float, as in the real logs.
    registration: start - random.between(1, 365 * 24 * 3600) * 1000 - random.int(1000),
    level: random.chance(0.3) ? 'paid' : 'free',
  }));
}
