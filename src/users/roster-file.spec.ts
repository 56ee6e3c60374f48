import * as iconv from 'iconv-lite';
import { MAX_ROSTER_ROWS, readRosterFile } from './roster-file';

describe('readRosterFile', () => {
  it('maps Chinese and English headers, whatever their case, spacing or stars', async () => {
    const table = await readRosterFile(Buffer.from('\uFEFF 工号* ,NAME,所在党支部,E-mail,手机号码,未知列\n001, 张三 ,第一支部,a@b.cn,138,x\n'));
    expect(table.rows).toEqual([
      { row: 2, values: { username: '001', name: '张三', branch: '第一支部', email: 'a@b.cn', phone: '138' } },
    ]);
  });

  it('keeps spreadsheet row numbers across blank lines and leaves empty cells out', async () => {
    const table = await readRosterFile(Buffer.from('username,name,unit\n1,甲,\n,,\n2,乙,学院\n'));
    expect(table.rows.map((r) => r.row)).toEqual([2, 4]);
    expect(table.rows[0].values).toEqual({ username: '1', name: '甲' });
  });

  it('tells UTF-8 from GBK by the bytes', async () => {
    expect((await readRosterFile(Buffer.from('工号,姓名\n1,王芳\n'))).encoding).toBe('utf-8');
    const gbk = await readRosterFile(iconv.encode('工号,姓名\n1,王芳\n', 'gbk'));
    expect(gbk).toMatchObject({ encoding: 'gbk', rows: [{ row: 2, values: { username: '1', name: '王芳' } }] });
  });

  it('names the missing required columns', async () => {
    await expect(readRosterFile(Buffer.from('工号,单位\n1,学院\n'))).rejects.toThrow('表头缺少「姓名」列');
  });

  it('refuses rosters beyond the row limit', async () => {
    const lines = Array.from({ length: MAX_ROSTER_ROWS + 1 }, (_, i) => `${i},某${i}`);
    await expect(readRosterFile(Buffer.from(['工号,姓名', ...lines].join('\n')))).rejects.toThrow(`每次最多导入 ${MAX_ROSTER_ROWS} 人`);
  });
});
