import type { DemoLogin } from './demo-seed';

/** What `npm run demo` prints once the API answers: the web page to open first, then the API and the logins. */
export function demoBanner(publicUrl: string, courseIds: string[], logins: DemoLogin[]): string {
  return [
    '',
    '================= 党支部书记培训平台 · 演示环境 =================',
    `  Web:   ${publicUrl}/   ← open this in a browser and sign in with a login below`,
    `  API:   ${publicUrl}/api`,
    `  Docs:  ${publicUrl}/api/docs`,
    `  Health: ${publicUrl}/api/health`,
    ...courseIds.map((id) => `  Course: ${publicUrl}/courses/${id} (API: /api/courses/${id})`),
    '  Demo logins (the web page, or POST /api/auth/login):',
    ...logins.map((l) => `    ${l.role.padEnd(26)} ${l.username.padEnd(20)} ${l.password}   ${l.name}`),
    '  Ctrl+C stops the API and the worker.',
    '==============================================================',
    '',
  ].join('\n');
}
