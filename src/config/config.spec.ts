import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('works with no variables at all on a machine with local MariaDB and Redis', () => {
    const config = loadConfig({});
    expect(config.http.port).toBe(3000);
    expect(config.db).toEqual(expect.objectContaining({ host: '127.0.0.1', port: 3306, user: 'root', password: '', name: 'secretary_training' }));
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'bst' });
    expect(config.mail.quietHours).toEqual({ start: '22:00', end: '07:00' });
  });

  it('names every malformed variable', () => {
    try {
      loadConfig({ PORT: 'eighty', DB_PORT: '99999', REDIS_URL: 'localhost:6379', QUIET_HOURS: '22-7' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      for (const name of ['PORT', 'DB_PORT', 'REDIS_URL', 'QUIET_HOURS']) expect(message).toContain(`${name}=`);
    }
  });

  it('requires a real JWT_SECRET in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(/JWT_SECRET/);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40) }).auth.jwtSecret).toBe('x'.repeat(40));
  });

  it('turns quiet hours off and splits CORS origins', () => {
    const config = loadConfig({ QUIET_HOURS: 'off', CORS_ORIGINS: 'https://a.example, https://b.example' });
    expect(config.mail.quietHours).toBeNull();
    expect(config.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  });
});
