import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReportAggregates1795617155017 implements MigrationInterface {
  name = 'ReportAggregates1795617155017';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`activity_done_counts\` (\`course_id\` bigint UNSIGNED NOT NULL, \`activity_id\` bigint UNSIGNED NOT NULL, \`unit_id\` bigint UNSIGNED NOT NULL, \`slot\` tinyint UNSIGNED NOT NULL, \`done\` int NOT NULL DEFAULT '0', INDEX \`idx_activity_done_counts_unit\` (\`course_id\`, \`unit_id\`, \`activity_id\`), PRIMARY KEY (\`course_id\`, \`activity_id\`, \`unit_id\`, \`slot\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`activity_done_results\` (\`course_id\` bigint UNSIGNED NOT NULL, \`activity_id\` bigint UNSIGNED NOT NULL, \`unit_id\` bigint UNSIGNED NOT NULL, \`done\` int NOT NULL, PRIMARY KEY (\`course_id\`, \`activity_id\`, \`unit_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`course_progress\` ADD \`active\` tinyint NOT NULL DEFAULT 1`);
    await queryRunner.query(`ALTER TABLE \`course_progress\` ADD \`unit_id\` bigint UNSIGNED NULL`);
    await queryRunner.query(`ALTER TABLE \`course_progress\` ADD \`branch_id\` bigint UNSIGNED NULL`);
    await queryRunner.query(`CREATE INDEX \`idx_course_progress_report\` ON \`course_progress\` (\`course_id\`, \`active\`, \`unit_id\`, \`branch_id\`, \`completed\`, \`credit_hours\`, \`completed_at\`)`);
    // The summaries' copies of enrolment status, unit and branch, as ProgressService.syncMembership keeps them.
    await queryRunner.query(
      `UPDATE course_progress cp
         JOIN enrollments e ON e.course_id = cp.course_id AND e.user_id = cp.user_id
         JOIN users u ON u.id = cp.user_id
          SET cp.active = (e.status = 'active'), cp.unit_id = u.unit_id, cp.branch_id = u.branch_id`,
    );
    // Counts for the progress recorded before this migration, the same way progress:rebuild computes them.
    await queryRunner.query(
      `INSERT INTO activity_done_counts (course_id, activity_id, unit_id, slot, done)
       SELECT ap.course_id, ap.activity_id, COALESCE(u.unit_id, 0), ap.user_id % 8, COUNT(*)
         FROM activity_progress ap JOIN users u ON u.id = ap.user_id
        WHERE ap.state = 'completed'
        GROUP BY ap.course_id, ap.activity_id, COALESCE(u.unit_id, 0), ap.user_id % 8`,
    );
    await queryRunner.query(
      `INSERT INTO activity_done_results (course_id, activity_id, unit_id, done)
       SELECT ap.course_id, ap.activity_id, COALESCE(u.unit_id, 0), COUNT(*)
         FROM activity_progress ap JOIN courses c ON c.id = ap.course_id AND c.status = 'closed'
         JOIN enrollments e ON e.course_id = ap.course_id AND e.user_id = ap.user_id AND e.status = 'active'
         JOIN users u ON u.id = ap.user_id
        WHERE ap.state = 'completed'
        GROUP BY ap.course_id, ap.activity_id, COALESCE(u.unit_id, 0)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_course_progress_report\` ON \`course_progress\``);
    await queryRunner.query(`ALTER TABLE \`course_progress\` DROP COLUMN \`branch_id\``);
    await queryRunner.query(`ALTER TABLE \`course_progress\` DROP COLUMN \`unit_id\``);
    await queryRunner.query(`ALTER TABLE \`course_progress\` DROP COLUMN \`active\``);
    await queryRunner.query(`DROP TABLE \`activity_done_results\``);
    await queryRunner.query(`DROP INDEX \`idx_activity_done_counts_unit\` ON \`activity_done_counts\``);
    await queryRunner.query(`DROP TABLE \`activity_done_counts\``);
  }
}
