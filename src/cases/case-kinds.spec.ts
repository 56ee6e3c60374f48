import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CASE_KINDS, caseKindOfRecord } from './case-kinds';

describe('the kind a case made from a handbook record starts with', () => {
  it('files 党课 under education and the other shipped norms under organisational life', () => {
    expect(caseKindOfRecord('party_lecture')).toBe('member_education');
    for (const kind of ['members_meeting', 'committee_meeting', 'group_meeting', 'theme_day', 'life_meeting', 'member_review', 'heart_talk']) {
      expect([kind, caseKindOfRecord(kind)]).toEqual([kind, 'organization_life']);
    }
  });

  it('gives a kind to every activity the shipped norms name, and 其他 to the rest', () => {
    const shipped = [...readFileSync(join(__dirname, '..', '..', 'content', 'norms', 'default.yaml'), 'utf8').matchAll(/^\s*- kind: (\w+)/gm)].map((m) => m[1]);
    expect(shipped.length).toBeGreaterThan(5);
    expect(shipped.filter((kind) => caseKindOfRecord(kind) === 'other')).toEqual([]);
    expect(caseKindOfRecord('other')).toBe('other');
    expect(caseKindOfRecord('a_kind_a_unit_added')).toBe('other');
    expect(CASE_KINDS).toContain(caseKindOfRecord('theme_day'));
  });
});
