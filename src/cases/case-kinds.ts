/**
 * The kinds of practice a case is filed under (类别), the catalogue the department uses when it collects good
 * practice: 组织生活, 党员教育, 服务群众, 制度建设, 宣传思想, 其他. Keys stay in English; the words are the web's.
 */
export const CASE_KINDS = ['organization_life', 'member_education', 'serving_people', 'institution_building', 'publicity', 'other'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];

/**
 * The kind a case made from a handbook record starts with, from the record's activity: the meetings of
 * 三会一课, 主题党日, 组织生活会, 民主评议 and 谈心谈话 are organisational life; 党课 is education. A branch's own
 * kinds (`other` or a norm the department added) fall under 其他 until the secretary says otherwise.
 */
const FROM_RECORD: Record<string, CaseKind> = {
  members_meeting: 'organization_life',
  committee_meeting: 'organization_life',
  group_meeting: 'organization_life',
  theme_day: 'organization_life',
  life_meeting: 'organization_life',
  member_review: 'organization_life',
  heart_talk: 'organization_life',
  party_lecture: 'member_education',
};

export function caseKindOfRecord(recordKind: string): CaseKind {
  return FROM_RECORD[recordKind] ?? 'other';
}
