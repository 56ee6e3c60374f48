import { AuthUser } from '../common/auth-user';
import type { Role } from '../common/roles';
import type { Branch, BranchKind } from '../org/branch.entity';
import type { OrgRepository } from '../org/org.repository';
import type { OrgService } from '../org/org.service';
import type { UsersRepository } from '../users/users.repository';
import type { UsersService } from '../users/users.service';

export const DEMO_PASSWORD = 'Demo@2026';
export const DEMO_ADMIN = { username: 'admin', password: 'Admin@2026', name: '组织部 王老师' };

const UNITS: Array<{ code: string; name: string; branches: Array<{ code: string; name: string; kind: BranchKind }> }> = [
  {
    code: 'CS',
    name: '计算机科学与技术学院党委',
    branches: [
      { code: 'CS-T1', name: '计算机学院教工第一党支部', kind: 'staff' },
      { code: 'CS-S1', name: '计算机学院研究生第一党支部', kind: 'student' },
    ],
  },
  {
    code: 'MARX',
    name: '马克思主义学院党委',
    branches: [
      { code: 'MARX-T1', name: '马克思主义学院教工党支部', kind: 'staff' },
      { code: 'MARX-S1', name: '马克思主义学院本科生党支部', kind: 'student' },
    ],
  },
];

const SECRETARY_NAMES = [
  '张伟', '王芳', '李娜', '刘洋', '陈静', '杨帆', '赵磊', '黄丽', '周杰', '吴敏',
  '徐强', '孙悦', '胡军', '朱琳', '高峰', '林晓', '何平', '郭瑞', '马超', '罗婷',
];

export interface DemoLogin {
  role: string;
  username: string;
  password: string;
  name: string;
}

export interface DemoSeeders {
  org: OrgService;
  users: UsersService;
  places: OrgRepository;
  people: UsersRepository;
}

/** Loads the demo organization and people through their modules. Running it again changes nothing. */
export async function seedDemo({ org, users, places, people }: DemoSeeders): Promise<DemoLogin[]> {
  await users.upsertDepartmentAdmin(DEMO_ADMIN.username, DEMO_ADMIN.name, DEMO_ADMIN.password);
  const admin = await found(people.findByUsername(DEMO_ADMIN.username), DEMO_ADMIN.username);
  const actor: AuthUser = { id: admin.id, username: admin.username, name: admin.name, role: 'admin', unitId: null, branchId: null, mustChangePassword: false };

  const branches: Branch[] = [];
  for (const spec of UNITS) {
    const unit = (await places.findUnitByCode(spec.code)) ?? (await org.createUnit({ name: spec.name, code: spec.code }, actor));
    for (const b of spec.branches) {
      if (!(await places.findBranchByCode(b.code))) await org.createBranch({ unitId: unit.id, name: b.name, code: b.code, kind: b.kind }, actor);
      branches.push(await found(places.findBranchByCode(b.code), b.code));
    }
  }

  const logins: DemoLogin[] = [{ role: 'admin (组织部)', username: DEMO_ADMIN.username, password: DEMO_ADMIN.password, name: DEMO_ADMIN.name }];
  const ensure = async (username: string, name: string, role: Role, placement: { branchId?: string; unitId?: string }) => {
    if (!(await people.findByUsername(username))) {
      await users.create({ username, name, role, password: DEMO_PASSWORD, email: `${username}@demo.edu.cn`, ...placement }, actor);
    }
  };
  const csUnit = await found(places.findUnitByCode('CS'), 'CS');
  await ensure('cs-admin', '计算机学院 组织员', 'admin', { unitId: csUnit.id });
  logins.push({ role: 'unit admin (计算机学院)', username: 'cs-admin', password: DEMO_PASSWORD, name: '计算机学院 组织员' });
  await ensure('teacher', '党校 陈教授', 'instructor', {});
  logins.push({ role: 'instructor', username: 'teacher', password: DEMO_PASSWORD, name: '党校 陈教授' });
  for (const [i, name] of SECRETARY_NAMES.entries()) {
    const username = `2026${String(i + 1).padStart(3, '0')}`;
    await ensure(username, name, 'secretary', { branchId: branches[i % branches.length].id });
  }
  logins.push({ role: 'secretary ×20', username: '2026001 … 2026020', password: DEMO_PASSWORD, name: `${SECRETARY_NAMES[0]} …` });
  return logins;
}

async function found<T>(row: Promise<T | null>, what: string): Promise<T> {
  const value = await row;
  if (!value) throw new Error(`demo seed: ${what} was not created`);
  return value;
}
