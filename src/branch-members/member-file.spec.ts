import * as iconv from 'iconv-lite';
import { calendarDate, memberCategory, readMemberFile } from './member-file';

describe('member list files', () => {
  it('reads 姓名, 类别 and 入党时间 under their usual headers, GBK or UTF-8', async () => {
    const table = await readMemberFile(iconv.encode('党员姓名,姓名,党员类别,入党日期\n,王芳,预备党员,2025-06-30\n', 'gbk'));
    expect(table).toMatchObject({ encoding: 'gbk', rows: [{ row: 2, values: { name: '王芳', category: '预备党员', joinedAt: '2025-06-30' } }] });
    await expect(readMemberFile(Buffer.from('类别\n正式\n'))).rejects.toThrow('表头缺少「姓名」列');
  });

  it('knows 正式 and 预备 however they are written, and nothing else', () => {
    expect(['正式', '正式党员', ' 正式 ', 'FULL', undefined].map(memberCategory)).toEqual(['full', 'full', 'full', 'full', 'full']);
    expect(['预备', '预备党员', 'probationary'].map(memberCategory)).toEqual(['probationary', 'probationary', 'probationary']);
    expect(memberCategory('群众')).toBeNull();
  });

  it('reads dates as people write them and refuses days that do not exist', () => {
    expect(['2021-07-01', '2021/7/1', '2021.7.1', '2021年7月1日', '2021-07', '2021年7月'].map(calendarDate)).toEqual(Array(6).fill('2021-07-01'));
    expect(['2021-02-30', '2021-13-01', '21-07-01', '七月一日', ''].map(calendarDate)).toEqual([null, null, null, null, null]);
  });
});
