import { MigrationInterface, QueryRunner } from 'typeorm';

export class SurveyCertificateReminders1796607000000 implements MigrationInterface {
  name = 'SurveyCertificateReminders1796607000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`surveys\` ADD \`certificate_course_id\` bigint UNSIGNED NULL`);
    await queryRunner.query(`ALTER TABLE \`reminder_deliveries\` CHANGE \`kind\` \`kind\` enum ('due-soon', 'overdue', 'session-tomorrow', 'digest', 'summary', 'plan-due', 'plan-overdue', 'record-returned', 'branch-summary', 'survey-open', 'survey-closing') NOT NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX \`uq_surveys_certificate_course\` ON \`surveys\` (\`certificate_course_id\`)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`uq_surveys_certificate_course\` ON \`surveys\``);
    await queryRunner.query(`ALTER TABLE \`reminder_deliveries\` CHANGE \`kind\` \`kind\` enum ('due-soon', 'overdue', 'session-tomorrow', 'digest', 'summary', 'plan-due', 'plan-overdue', 'record-returned', 'branch-summary') NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`surveys\` DROP COLUMN \`certificate_course_id\``);
  }
}
