import { countCharacters, renderMarkdown, shingles, similarity, simhash } from './text';

describe('reflection text rules', () => {
  it('counts what a reader sees: 汉字 one each, no Markdown, no whitespace', () => {
    expect(countCharacters('## 支部\n\n**书记** 的 _职责_\n\n- 一\n- 二')).toBe(9);
    expect(countCharacters('abc def')).toBe(6);
  });

  it('renders Markdown without anything that runs', () => {
    const html = renderMarkdown('<b onclick="x()">粗</b> [a](javascript:alert(1)) ![i](x.png)');
    expect(html).not.toMatch(/<b |<[^>]+onclick=|href="javascript:/);
    expect(renderMarkdown('[学习强国](https://www.xuexi.cn)')).toContain('rel="noopener noreferrer nofollow"');
  });

  it('finds near-copies of Chinese text and tells different texts apart', () => {
    const a = shingles('担任支部书记一年来，我最大的体会是要把支部工作和业务工作结合起来。');
    const b = shingles('担任支部书记两年来，我最大的体会是要把支部工作和业务工作结合起来！');
    const c = shingles('今年我们改为每次围绕一个教学中的真实问题展开讨论，请青年教师先讲困惑。');
    expect(similarity(a, b)).toBeGreaterThan(0.7);
    expect(similarity(a, c)).toBeLessThan(0.1);
    const distance = (x: bigint, y: bigint) => [...(x ^ y).toString(2)].filter((bit) => bit === '1').length;
    expect(distance(simhash(a), simhash(b))).toBeLessThan(distance(simhash(a), simhash(c)));
  });
});
