import { bankProblems, drawQuestions, type BankEntry } from './question-draw';

const entry = (key: string, tags: string[]): BankEntry => ({
  id: key.replace(/\D/g, '') || '1',
  key,
  tags,
  question: { kind: 'truefalse', prompt: `题${key}`, answer: true, points: 1 },
});

describe('question draw', () => {
  const bank = [entry('q1', ['党章']), entry('q2', ['党章', '组织生活']), entry('q3', ['组织生活']), entry('q4', ['组织生活']), entry('q5', [])];

  it('asks the quiz’s own questions first, then bank questions by key, then distinct random draws', () => {
    for (let run = 0; run < 50; run++) {
      const asked = drawQuestions(
        { questions: [{ kind: 'truefalse', prompt: '自带题', answer: false, points: 2 }], bank: { keys: ['q5'], draws: [{ tags: ['党章'], count: 1 }, { tags: ['组织生活'], count: 2 }] } },
        bank,
      )!;
      expect(asked.map((q) => q.ref).slice(0, 2)).toEqual(['quiz:0', 'bank:5']);
      expect(asked).toHaveLength(5);
      expect(new Set(asked.map((q) => q.ref)).size).toBe(5);
      expect(['bank:1', 'bank:2']).toContain(asked[2].ref);
    }
  });

  it('varies the draw between attempts', () => {
    const seen = new Set<string>();
    for (let run = 0; run < 60; run++) seen.add(drawQuestions({ questions: [], bank: { keys: [], draws: [{ tags: [], count: 1 }] } }, bank)![0].ref);
    expect(seen.size).toBeGreaterThan(1);
  });

  it('reports unknown keys and draws that could run short in the worst case', () => {
    // q2 carries both tags: if the first draw takes it, the second finds nothing. The check must see that.
    const risky = bankProblems({ keys: ['nope'], draws: [{ tags: ['党章'], count: 1 }, { tags: ['组织生活'], count: 3 }] }, bank);
    expect(risky.map((p) => p.field)).toEqual(['bank.keys.0', 'bank.draws.1.count']);
    expect(risky[1].message).toContain('不够抽 3 道');
    expect(bankProblems({ keys: [], draws: [{ tags: ['党章'], count: 1 }, { tags: ['组织生活'], count: 2 }] }, bank)).toEqual([]);
  });

  it('gives up (null) rather than ask fewer questions than the quiz says', () => {
    expect(drawQuestions({ questions: [], bank: { keys: [], draws: [{ tags: ['组织生活'], count: 4 }] } }, bank)).toBeNull();
  });
});
