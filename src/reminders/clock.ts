/** What time it is. Injected (CLOCK) so tests move time without fake timers over real Redis and MySQL. */
export interface Clock {
  now(): Date;
}

export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = { now: () => new Date() };
