import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../common/auth-user';
import { isAdmin } from '../common/auth-user';
import type { Branch } from './branch.entity';
import { OrgService } from './org.service';

/**
 * What a caller wants to do with a branch's own work (its members, plan and handbook):
 * - `read`: its secretary, an admin of its unit, the department;
 * - `keep`: write it — its secretary only;
 * - `review`: approve or return it — an admin of its unit, the department.
 */
export type BranchWorkNeed = 'read' | 'keep' | 'review';

/**
 * The one rule for a branch's work: it belongs to the branch, not to a person, so whoever is the branch's
 * secretary today keeps it. A branch the caller may not read answers 404 (it looks like no branch); a branch
 * they may read but not change in this way answers 403 naming who may.
 */
@Injectable()
export class BranchScope {
  constructor(private readonly org: OrgService) {}

  async branch(id: string, actor: AuthUser, need: BranchWorkNeed): Promise<Branch> {
    const ownBranch = actor.role === 'secretary' && actor.branchId === id;
    if (!ownBranch && !isAdmin(actor)) throw new NotFoundException({ message: '党支部不存在', code: 'BRANCH_NOT_FOUND' });
    // For admins this is the unit check: another unit's branch is a 404.
    const branch = await this.org.visibleBranch(id, actor);
    if (need === 'keep' && !ownBranch) {
      throw new ForbiddenException({ message: '只有本支部书记可以填写支部工作', code: 'BRANCH_SECRETARY_ONLY' });
    }
    if (need === 'review' && ownBranch) {
      throw new ForbiddenException({ message: '支部工作由所在二级党组织或组织部审核', code: 'BRANCH_REVIEW_ADMIN_ONLY' });
    }
    return branch;
  }
}
