import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { BranchMember } from './branch-member.entity';
import { BranchMembersRepository } from './branch-members.repository';

/** A branch's member list (name, 正式/预备, joined date), kept by its secretary; records take attendance from it. */
@Injectable()
export class BranchMembersService {
  constructor(private readonly members: BranchMembersRepository) {}

  /** The members among `ids` of this branch, keyed by id; ids of other branches' members are simply absent. */
  async membersOf(branchId: string, ids: string[], manager?: EntityManager): Promise<Map<string, BranchMember>> {
    const found = await this.members.findInBranch(branchId, [...new Set(ids)], manager);
    return new Map(found.map((m) => [m.id, m]));
  }

  /** The branch's current members (the printed handbook's cover counts them). */
  currentMembers(branchId: string): Promise<BranchMember[]> {
    return this.members.listCurrent(branchId);
  }
}
