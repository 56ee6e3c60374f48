import { MigrationInterface, QueryRunner } from 'typeorm';

/** The earliest due date each learner misses (course_progress, and frozen in course_results), and in the report index. */
export class FirstMissingDue1796620000000 implements MigrationInterface {
  name = 'FirstMissingDue1796620000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_course_progress_report\` ON \`course_progress\``);
    await queryRunner.query(`ALTER TABLE \`course_progress\` ADD \`first_missing_due_at\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`course_results\` ADD \`first_missing_due_at\` datetime(3) NULL`);
    // Filled from the plan and the states before the index is built, so the index is built once.
    for (const table of ['course_progress', 'course_results']) {
      await queryRunner.query(
        `UPDATE \`${table}\` s SET s.first_missing_due_at = (
           SELECT MIN(a.due_at) FROM activities a
            WHERE a.course_id = s.course_id AND a.required = 1 AND a.archived_at IS NULL AND a.due_at IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM activity_progress ap WHERE ap.activity_id = a.id AND ap.user_id = s.user_id AND ap.state = 'completed'))`,
      );
    }
    await queryRunner.query(
      `CREATE INDEX \`idx_course_progress_report\` ON \`course_progress\` (\`course_id\`, \`active\`, \`unit_id\`, \`branch_id\`, \`completed\`, \`credit_hours\`, \`completed_at\`, \`required_done\`, \`required_total\`, \`first_missing_due_at\`)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_course_progress_report\` ON \`course_progress\``);
    await queryRunner.query(`ALTER TABLE \`course_results\` DROP COLUMN \`first_missing_due_at\``);
    await queryRunner.query(`ALTER TABLE \`course_progress\` DROP COLUMN \`first_missing_due_at\``);
    await queryRunner.query(
      `CREATE INDEX \`idx_course_progress_report\` ON \`course_progress\` (\`course_id\`, \`active\`, \`unit_id\`, \`branch_id\`, \`completed\`, \`credit_hours\`, \`completed_at\`, \`required_done\`, \`required_total\`)`,
    );
  }
}
