import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 补学 (make-up): each course says whether overdue work may still be done and until when, and a completion
 * made after the activity's due date is marked on the learner's activity row and counted in the summaries.
 */
export class MakeUp1795640000000 implements MigrationInterface {
  name = 'MakeUp1795640000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Existing courses get `until_end`: before this, readings, videos and discussions already took work after
    // the due date until the course closed (only quizzes refused it), so that keeps most of what learners had.
    await queryRunner.query(`ALTER TABLE \`courses\` ADD \`make_up_policy\` enum ('none', 'until_end', 'until') NOT NULL DEFAULT 'until_end'`);
    await queryRunner.query(`ALTER TABLE \`courses\` ADD \`make_up_until\` datetime(3) NULL`);
    await queryRunner.query(`ALTER TABLE \`activity_progress\` ADD \`made_up\` tinyint NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE \`course_progress\` ADD \`made_up_count\` int UNSIGNED NOT NULL DEFAULT 0`);
    await queryRunner.query(`ALTER TABLE \`course_results\` ADD \`made_up_count\` int UNSIGNED NOT NULL DEFAULT 0`);
    // Completions already recorded after their due date were made up; a reading's counts from when the
    // reflection was submitted (an approval may come later), the others from when they were completed.
    await queryRunner.query(
      `UPDATE activity_progress ap
         JOIN activities a ON a.id = ap.activity_id
         LEFT JOIN reflections r ON r.activity_id = ap.activity_id AND r.user_id = ap.user_id
          SET ap.made_up = 1
        WHERE ap.state = 'completed' AND a.type <> 'session' AND a.due_at IS NOT NULL
          AND COALESCE(r.submitted_at, ap.completed_at) > a.due_at`,
    );
    await queryRunner.query(
      `UPDATE course_progress cp
         JOIN (SELECT course_id, user_id, COUNT(*) AS n FROM activity_progress WHERE made_up = 1 GROUP BY course_id, user_id) m
           ON m.course_id = cp.course_id AND m.user_id = cp.user_id
          SET cp.made_up_count = m.n`,
    );
    await queryRunner.query(
      `UPDATE course_results cr
         JOIN course_progress cp ON cp.course_id = cr.course_id AND cp.user_id = cr.user_id
          SET cr.made_up_count = cp.made_up_count`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`course_results\` DROP COLUMN \`made_up_count\``);
    await queryRunner.query(`ALTER TABLE \`course_progress\` DROP COLUMN \`made_up_count\``);
    await queryRunner.query(`ALTER TABLE \`activity_progress\` DROP COLUMN \`made_up\``);
    await queryRunner.query(`ALTER TABLE \`courses\` DROP COLUMN \`make_up_until\``);
    await queryRunner.query(`ALTER TABLE \`courses\` DROP COLUMN \`make_up_policy\``);
  }
}
