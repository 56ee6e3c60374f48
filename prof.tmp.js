const pdf = require('./dist/src/certificates/certificate-pdf.js');
const content = (i) => ({ name: `欧阳学员${i}`, unitName: '马克思主义学院党委', branchName: '教工第一党支部', courseTitle: '2026年党支部书记培训班',
  periodStart: new Date('2026-03-01T00:00:00+08:00'), periodEnd: new Date('2026-07-01T00:00:00+08:00'), creditHours: 32.5,
  completedAt: new Date('2026-06-20T10:00:00+08:00'), issuedAt: new Date('2026-07-02T10:00:00+08:00'), issuer: '中共某某大学委员会组织部',
  serial: `2026-${String(i + 1).padStart(7, '0')}`, verifyUrl: `http://localhost:3000/verify/${String(i).padStart(16, '0')}` });
(async () => {
  for (let i = 0; i < 20; i++) await pdf.renderCertificatePdf(content(i));
  const t = pdf.emptyTimings(); const N = 400; const s = performance.now();
  for (let i = 0; i < N; i++) await pdf.renderCertificatePdf(content(i), t);
  console.log('ms/doc', ((performance.now() - s) / N).toFixed(2), Object.fromEntries(Object.entries(t).map(([k, v]) => [k, (v / N).toFixed(2)])));
})();
