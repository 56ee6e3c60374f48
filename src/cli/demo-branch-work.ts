import { authUserOf, SYSTEM_ACTOR, type AuthUser } from '../common/auth-user';
import type { BranchPlansService } from '../branch-plans/branch-plans.service';
import type { RecordsService } from '../handbook/records.service';
import { beijingDay } from '../norms/beijing-calendar';
import type { BranchMembersService } from '../branch-members/branch-members.service';
import type { MemberCategory } from '../branch-members/branch-member.entity';
import type { UsersRepository } from '../users/users.repository';

/** A small member list for each demo branch, so the plan and the handbook have people to take attendance of. */
const DEMO_MEMBERS: Array<[string, MemberCategory, string]> = [
  ['赵建国', 'full', '1998-07-01'],
  ['钱秀英', 'full', '2005-06-15'],
  ['孙志强', 'full', '2012-11-20'],
  ['李晓梅', 'full', '2018-05-04'],
  ['周文博', 'probationary', '2025-06-30'],
  ['吴思远', 'probationary', '2025-12-01'],
];

/**
 * Each demo branch's member list, kept as its first secretary (2026001 … 2026004, one per branch) would keep
 * it. A branch that already has members is left as it is, so running the demo again changes nothing.
 */
export async function seedDemoMembers(members: BranchMembersService, people: UsersRepository, usernames: string[]): Promise<void> {
  for (const username of usernames) {
    const secretary = await people.findByUsername(username);
    if (!secretary?.branchId) continue;
    const actor: AuthUser = { id: secretary.id, username, name: secretary.name, role: 'secretary', unitId: secretary.unitId, branchId: secretary.branchId, mustChangePassword: false };
    if ((await members.list(secretary.branchId, actor, true)).items.length) continue;
    for (const [name, category, joinedAt] of DEMO_MEMBERS) await members.create(secretary.branchId, { name, category, joinedAt }, actor);
  }
}

/**
 * The first demo branch's year so far, kept through the same services as the web: its annual plan (pre-filled
 * from the norms, submitted by the secretary, approved by the department) and two records of this month — a
 * 支部委员会 accepted against its plan item and a 党小组会 waiting for the unit's review. A branch whose plan
 * is already stored is left as it is, so running the demo again changes nothing.
 */
export async function seedDemoBranchYear(
  services: { plans: BranchPlansService; records: RecordsService; members: BranchMembersService; people: UsersRepository },
  secretaryUsername: string,
  departmentUsername: string,
  now: Date = new Date(),
): Promise<void> {
  const secretary = await services.people.findByUsername(secretaryUsername);
  const branchId = secretary?.branchId;
  if (!secretary || !branchId) return;
  const me = authUserOf(secretary);
  const department = await services.people.findByUsername(departmentUsername);
  const reviewer = department ? authUserOf(department) : SYSTEM_ACTOR;
  const { year, month } = beijingDay(now);
  const draft = await services.plans.get(branchId, year, me);
  if (draft.stored) return;

  const saved = await services.plans.save(branchId, year, draft.items.map(({ month: m, kind, title }) => ({ month: m, kind, title })), me);
  await services.plans.submit(branchId, year, me);
  await services.plans.review(branchId, year, { decision: 'approve', comment: '计划安排合理，同意。' }, reviewer);

  const members = (await services.members.list(branchId, me, false)).items;
  const [absent, ...present] = members;
  const attendance = { present: present.map((m) => m.id), absent: absent ? [{ memberId: absent.id, reason: '外出培训' }] : [] };
  // The first of this month at 09:00 Beijing time, or a minute ago early on the 1st.
  const firstOfMonth = new Date(Date.UTC(year, month - 1, 1, 1));
  const heldAt = (firstOfMonth < now ? firstOfMonth : new Date(now.getTime() - 60_000)).toISOString();
  const committeeItem = saved.items.find((i) => i.kind === 'committee_meeting' && i.month === month);
  const committee = await services.records.create(
    branchId,
    {
      kind: 'committee_meeting',
      title: `${month}月支部委员会会议：研究本月工作`,
      heldAt,
      place: '党员活动室',
      chair: secretary.name,
      recorder: present[0]?.name,
      attendance,
      minutes: `## 议题\n1. 传达上级有关会议精神\n2. 研究本月主题党日安排\n\n## 讨论\n委员们结合支部实际逐项讨论，形成一致意见。`,
      resolutions: '本月主题党日以“重温入党誓词”为主题，由组织委员具体落实。',
      planItemId: committeeItem?.id ?? null,
    },
    me,
  );
  await services.records.submit(committee.id, me);
  await services.records.review(committee.id, { decision: 'accept', comment: '记录完整。' }, reviewer);

  const group = await services.records.create(
    branchId,
    {
      kind: 'group_meeting',
      title: `${month}月党小组会：交流学习体会`,
      heldAt,
      place: '第一会议室',
      attendance,
      minutes: '## 议题\n交流近期理论学习体会，每位党员发言。',
    },
    me,
  );
  await services.records.submit(group.id, me);
}
