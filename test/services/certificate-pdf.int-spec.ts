import { CertificateContent, drawCertificate, emptyTimings, qrPng, renderCertificatePdf } from '../../src/certificates/certificate-pdf';
import { pdfQrText, pdfText } from '../factories/certificate.factory';

/**
 * The certificate renderer (fonts prepared once per process, QR code as vector squares) against the plain pdfkit
 * drawing it replaced, read back with poppler: the same words, a QR code with the same URL, the same bytes
 * every time for the same certificate.
 */
describe('certificate PDF rendering', () => {
  const content = (name: string, serial: string): CertificateContent => ({
    name,
    unitName: '马克思主义学院党委',
    branchName: '教工第一党支部',
    courseTitle: '2026年党支部书记培训班（第一期）',
    periodStart: new Date('2026-02-28T16:00:00Z'),
    periodEnd: new Date('2026-06-30T16:00:00Z'),
    creditHours: 32.5,
    completedAt: new Date('2026-06-20T02:00:00Z'),
    issuedAt: new Date('2026-07-01T02:00:00Z'),
    issuer: '党委组织部',
    serial,
    verifyUrl: `https://train.example.edu.cn/verify/${serial.replace('-', 'X')}ABCDE`,
  });

  it('prints the same words as plain pdfkit and a QR code of the verification URL', async () => {
    const page = content('欧阳修文', '2026-0000042');
    const pdf = await renderCertificatePdf(page);
    const text = await pdfText(pdf);
    expect(text).toBe(await pdfText(await drawCertificate(page, await qrPng(page.verifyUrl))));
    for (const words of ['欧阳修文 同志：', '结 业 证 书', '证书编号：2026-0000042', '32.5 学时', '2026年7月1日', '党委组织部']) expect(text).toContain(words);
    expect(text.replace(/\s+/g, '')).toContain('于2026年3月1日至2026年7月1日参加“2026年党支部书记培训班（第一期）”，于2026年6月20日完成规定的学习任务');
    expect(await pdfQrText(pdf)).toBe(page.verifyUrl);
  });

  it('renders the same certificate to the same bytes, whatever was rendered in between', async () => {
    const page = content('司马光', '2026-0000043');
    const first = await renderCertificatePdf(page);
    for (const [i, name] of ['王五', '张晓燕', '李建国'].entries()) await renderCertificatePdf(content(name, `2026-000010${i}`));
    expect((await renderCertificatePdf(page)).equals(first)).toBe(true);
    expect((await renderCertificatePdf(content('司马光明', '2026-0000043'))).equals(first)).toBe(false);
  });

  it('adds up where the time went when asked', async () => {
    const timings = emptyTimings();
    await renderCertificatePdf(content('王五', '2026-0000044'), timings);
    for (const phase of ['layout', 'fontSubset', 'qr', 'output'] as const) expect(timings[phase]).toBeGreaterThan(0);
  });
});
