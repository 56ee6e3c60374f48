import { beijingMinute, plainText } from './handbook-files';
import { beijingYear } from './records.service';

describe('the handbook in print', () => {
  it('prints Markdown minutes as their words, without the marks', () => {
    expect(plainText('## 议程\n1. **重温**入党誓词\n> 引用\n[党章](https://example.cn) ![照片](x.png) `代码`')).toBe('议程\n1. 重温入党誓词\n引用\n党章  代码');
  });

  it('reads times and years in Beijing time, whatever the server’s zone', () => {
    expect(beijingMinute(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01 00:30');
    expect(beijingYear(new Date('2026-12-31T15:59:59Z'))).toBe(2026);
    expect(beijingYear(new Date('2026-12-31T16:00:00Z'))).toBe(2027);
  });
});
