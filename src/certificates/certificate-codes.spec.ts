import { chineseDate, formatSerial, hashVerificationCode, maskName, newVerificationCode, normalizeVerificationCode } from './certificate-codes';

describe('certificate codes', () => {
  it('makes 16-character base32 codes that differ every time and survive retyping', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => newVerificationCode()));
    expect(codes.size).toBe(1000);
    for (const code of codes) expect(normalizeVerificationCode(code.toLowerCase().replace(/(.{4})/g, '$1-'))).toBe(code);
  });

  it('rejects what cannot be a code', () => {
    for (const input of ['', 'abc', '2026-0000001', 'O'.repeat(16), '0'.repeat(17), '../etc/passwd']) expect(normalizeVerificationCode(input)).toBeNull();
  });

  it('hashes with SHA-256', () => {
    expect(hashVerificationCode('ABC')).toBe('b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e716e0a1e2789df78');
  });

  it('formats serials with the year and 7 digits', () => {
    expect(formatSerial(2026, 1234)).toBe('2026-0001234');
  });

  it('masks Chinese names', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('李小明')).toBe('李*明');
    expect(maskName('欧阳修文')).toBe('欧**文');
  });

  it('writes dates in China time', () => {
    expect(chineseDate(new Date('2026-12-31T16:30:00Z'))).toBe('2027年1月1日');
  });
});
