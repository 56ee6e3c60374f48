import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AssessmentSchemesService } from '../../src/assessments/assessment-schemes.service';
import { BranchMembersService } from '../../src/branch-members/branch-members.service';
import { BranchPlansService } from '../../src/branch-plans/branch-plans.service';
import { CasesService } from '../../src/cases/cases.service';
import { DemoCliModule } from '../../src/cli/cli.module';
import { seedDemoBranchYear, seedDemoMembers } from '../../src/cli/demo-branch-work';
import { seedDemoExchange } from '../../src/cli/demo-exchange';
import { authUserOf } from '../../src/common/auth-user';
import { RecordsService } from '../../src/handbook/records.service';
import { beijingDay } from '../../src/norms/beijing-calendar';
import { SurveysService } from '../../src/surveys/surveys.service';
import { UsersRepository } from '../../src/users/users.repository';
import { makeBranch, makeUnit, makeUser } from '../factories/org.factory';

/** `npm run demo` shows the department's year: a featured case from the first branch, a survey, this year's scheme; once. */
describe('demo exchange, survey and assessment scheme', () => {
  let app: INestApplicationContext;
  beforeAll(async () => {
    app = await NestFactory.createApplicationContext(DemoCliModule, { logger: false });
  });
  afterAll(() => app.close());

  it('shares the first branch’s accepted record as a featured case, opens a survey of all secretaries and sets the scheme, and nothing more when run again', async () => {
    const ds = app.get(DataSource);
    const unit = await makeUnit(ds);
    const secretary = await makeUser(ds, { branch: await makeBranch(ds, unit) });
    const unitAdmin = await makeUser(ds, { role: 'admin', unitId: unit.id });
    const department = await makeUser(ds, { role: 'admin' });
    const people = app.get(UsersRepository);
    const year = { plans: app.get(BranchPlansService), records: app.get(RecordsService), members: app.get(BranchMembersService), people };
    await seedDemoMembers(year.members, people, [secretary.username]);
    await seedDemoBranchYear(year, secretary.username, department.username);
    const services = { schemes: app.get(AssessmentSchemesService), cases: app.get(CasesService), surveys: app.get(SurveysService), records: year.records, people };
    const logins = { secretary: secretary.username, unitAdmin: unitAdmin.username, department: department.username };
    await seedDemoExchange(services, logins);
    await seedDemoExchange(services, logins);

    expect((await services.schemes.find(beijingDay(new Date()).year))?.scheme.indicators.length).toBeGreaterThan(0);
    const cases = await ds.query('SELECT id, record_id, featured, recommended_at FROM cases WHERE branch_id = ?', [secretary.branchId]);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ featured: 1 });
    expect(cases[0].record_id).not.toBeNull();
    expect(cases[0].recommended_at).not.toBeNull();
    const surveys = (await services.surveys.list(authUserOf(secretary))).items.filter((s) => s.title === '支部书记培训需求调研');
    expect(surveys).toHaveLength(1);
    expect(surveys[0]).toMatchObject({ open: true, anonymous: false, answered: false });
  }, 60_000);
});
