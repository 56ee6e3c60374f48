import { MigrationInterface, QueryRunner } from 'typeorm';

/** Reminders of the branch's year: a plan item due or overdue, a record returned, the monthly summary to unit admins. */
export class BranchWorkReminders1796600000000 implements MigrationInterface {
  name = 'BranchWorkReminders1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE \`reminder_deliveries\` MODIFY \`kind\` enum ('due-soon', 'overdue', 'session-tomorrow', 'digest', 'summary', 'plan-due', 'plan-overdue', 'record-returned', 'branch-summary') NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM \`reminder_deliveries\` WHERE \`kind\` IN ('plan-due', 'plan-overdue', 'record-returned', 'branch-summary')`);
    await queryRunner.query(`ALTER TABLE \`reminder_deliveries\` MODIFY \`kind\` enum ('due-soon', 'overdue', 'session-tomorrow', 'digest', 'summary') NOT NULL`);
  }
}
