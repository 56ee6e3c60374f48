import { Injectable } from '@nestjs/common';
import { OrgRepository } from '../org/org.repository';
import { UsersRepository } from './users.repository';

/** How a person is shown in another module's list: name, 工号, and the names of their unit and branch. */
export interface PersonLabel {
  id: string;
  username: string;
  name: string;
  unitId: string | null;
  branchId: string | null;
  unit: string | null;
  branch: string | null;
}

/** Labels for a page of rows that name people: one query on users and one on the organization, whatever the page. */
@Injectable()
export class UserLabelsService {
  constructor(
    private readonly users: UsersRepository,
    private readonly org: OrgRepository,
  ) {}

  async byIds(ids: string[]): Promise<Map<string, PersonLabel>> {
    const people = [...(await this.users.labelsByIds(ids)).values()];
    const names = await this.org.namesByIds(
      people.flatMap((p) => (p.unitId ? [p.unitId] : [])),
      people.flatMap((p) => (p.branchId ? [p.branchId] : [])),
    );
    return new Map(
      people.map((p) => [
        p.id,
        {
          ...p,
          unit: p.unitId ? (names.units.get(p.unitId) ?? null) : null,
          branch: p.branchId ? (names.branches.get(p.branchId) ?? null) : null,
        },
      ]),
    );
  }
}
