import passport from 'passport';

let registered = 0;

/**
 * passport keeps one registry of strategies per process, where @nestjs/passport files each strategy under its
 * kind ('jwt', 'local'): the last app built would then answer for every app of the process, with its own
 * services, caches and Redis connection. The tests run two apps in one process (a second "API process" with
 * its own memory), so each app's strategy is filed under a name of its own, which its guard asks for, and
 * leaves the registry when its app closes (`passport.unuse`).
 */
export function registerUnderOwnName(strategy: passport.Strategy, kind: 'jwt' | 'local'): string {
  const name = `${kind}#${++registered}`;
  passport.use(name, strategy);
  return name;
}

export function unregister(name: string): void {
  passport.unuse(name);
}
