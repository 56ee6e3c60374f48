import { cjkFonts, preparedCjkPdf } from './cjk-font';

type Font = { layout(text: string): { glyphs: { id: number }[] }; createSubset(): { includeGlyph(id: number): number; encode(): Uint8Array } };
type Embedded = { subset: { includeGlyph(id: number): number; encode(): Uint8Array } };

describe('preparedCjkPdf', () => {
  const text = '欧阳修文同志：所在单位：马克思主义学院党委 于2026年3月1日参加“培训班（第1期）”，累计获得32.5学时。Åé';

  it.each(['regular', 'bold'] as const)('embeds the same %s subset bytes as fontkit', (weight) => {
    const font = cjkFonts()[weight] as unknown as Font;
    const ids = [...new Set(font.layout(text).glyphs.map((g) => g.id))];
    expect(ids.length).toBeGreaterThan(40);

    for (let round = 0; round < 2; round++) {
      // The second round finds every glyph already prepared.
      const { doc } = preparedCjkPdf({});
      const embedded = (doc as unknown as { _fontFamilies: Record<string, Embedded> })._fontFamilies[weight];
      const plain = font.createSubset();
      for (const id of ids) expect(embedded.subset.includeGlyph(id)).toBe(plain.includeGlyph(id));
      expect(Buffer.from(embedded.subset.encode()).equals(Buffer.from(plain.encode()))).toBe(true);
      doc.end();
    }
  });

  it('renders the same document bytes the second time, from the shared layouts', async () => {
    const render = () => {
      const { doc, done } = preparedCjkPdf({ info: { CreationDate: new Date(0), ModDate: new Date(0) } });
      doc.font('bold').fontSize(20).text(text, 50, 50, { width: 300 });
      doc.font('regular').fontSize(12).text(text, { width: 300 });
      doc.end();
      return done;
    };
    const first = await render();
    expect((await render()).equals(first)).toBe(true);
  });
});
