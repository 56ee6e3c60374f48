import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReportAggregates1795616140367 implements MigrationInterface {
  name = 'ReportAggregates1795616140367';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`activity_done_counts\` (\`course_id\` bigint UNSIGNED NOT NULL, \`activity_id\` bigint UNSIGNED NOT NULL, \`unit_id\` bigint UNSIGNED NOT NULL, \`slot\` tinyint UNSIGNED NOT NULL, \`done\` int NOT NULL DEFAULT '0', INDEX \`idx_activity_done_counts_unit\` (\`course_id\`, \`unit_id\`, \`activity_id\`), PRIMARY KEY (\`course_id\`, \`activity_id\`, \`unit_id\`, \`slot\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`activity_done_results\` (\`course_id\` bigint UNSIGNED NOT NULL, \`activity_id\` bigint UNSIGNED NOT NULL, \`unit_id\` bigint UNSIGNED NOT NULL, \`done\` int NOT NULL, PRIMARY KEY (\`course_id\`, \`activity_id\`, \`unit_id\`)) ENGINE=InnoDB`);
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
    await queryRunner.query(`DROP TABLE \`activity_done_results\``);
    await queryRunner.query(`DROP INDEX \`idx_activity_done_counts_unit\` ON \`activity_done_counts\``);
    await queryRunner.query(`DROP TABLE \`activity_done_counts\``);
  }
}
