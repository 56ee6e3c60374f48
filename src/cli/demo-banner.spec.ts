import { demoBanner } from './demo-banner';

describe('demoBanner', () => {
  const banner = demoBanner('http://localhost:3000', ['7'], [{ role: 'department admin', username: 'admin', password: 'Admin@2026', name: '组织部 王老师' }]);

  it('gives the web address to open first, before the API', () => {
    const lines = banner.split('\n');
    const web = lines.findIndex((l) => l.includes('Web:') && l.includes('http://localhost:3000/ '));
    const api = lines.findIndex((l) => l.includes('API:') && l.includes('http://localhost:3000/api'));
    expect(web).toBeGreaterThan(0);
    expect(api).toBeGreaterThan(web);
  });

  it("links the course's web page and lists the logins", () => {
    expect(banner).toContain('http://localhost:3000/courses/7');
    expect(banner).toMatch(/admin\s+Admin@2026\s+组织部 王老师/);
  });
});
