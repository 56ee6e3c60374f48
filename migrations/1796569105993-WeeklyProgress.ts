import { MigrationInterface, QueryRunner } from 'typeorm';

/** Required completions per Beijing week for the dashboard's progress series, and average progress from the report index. */
export class WeeklyProgress1796569105993 implements MigrationInterface {
  name = 'WeeklyProgress1796569105993';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`required_done_weeks\` (\`course_id\` bigint UNSIGNED NOT NULL, \`unit_id\` bigint UNSIGNED NOT NULL, \`week_start\` date NOT NULL, \`slot\` tinyint UNSIGNED NOT NULL, \`done\` int NOT NULL DEFAULT '0', PRIMARY KEY (\`course_id\`, \`unit_id\`, \`week_start\`, \`slot\`)) ENGINE=InnoDB`);
    await queryRunner.query(`DROP INDEX \`idx_course_progress_report\` ON \`course_progress\``);
    await queryRunner.query(`CREATE INDEX \`idx_course_progress_report\` ON \`course_progress\` (\`course_id\`, \`active\`, \`unit_id\`, \`branch_id\`, \`completed\`, \`credit_hours\`, \`completed_at\`, \`required_done\`, \`required_total\`)`);
    // The weeks of the completions recorded before this migration, as progress:rebuild counts them.
    await queryRunner.query(
      `INSERT INTO required_done_weeks (course_id, unit_id, week_start, slot, done)
       SELECT ap.course_id, COALESCE(cp.unit_id, 0),
              DATE(ap.completed_at + INTERVAL 8 HOUR) - INTERVAL WEEKDAY(ap.completed_at + INTERVAL 8 HOUR) DAY,
              ap.user_id % 8, COUNT(*)
         FROM activity_progress ap
         JOIN activities a ON a.id = ap.activity_id AND a.required = 1 AND a.archived_at IS NULL
         JOIN course_progress cp ON cp.course_id = ap.course_id AND cp.user_id = ap.user_id AND cp.active = 1
        WHERE ap.state = 'completed' AND ap.completed_at IS NOT NULL
        GROUP BY 1, 2, 3, 4`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_course_progress_report\` ON \`course_progress\``);
    await queryRunner.query(`CREATE INDEX \`idx_course_progress_report\` ON \`course_progress\` (\`course_id\`, \`active\`, \`unit_id\`, \`branch_id\`, \`completed\`, \`credit_hours\`, \`completed_at\`)`);
    await queryRunner.query(`DROP TABLE \`required_done_weeks\``);
  }
}
