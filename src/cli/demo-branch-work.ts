import type { AuthUser } from '../common/auth-user';
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
