import { MigrationInterface, QueryRunner } from 'typeorm';

/** Threads (and their posts) without an activity belong to the course forum (课程论坛). */
export class CourseForum1795616733525 implements MigrationInterface {
  name = 'CourseForum1795616733525';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`discussion_threads\` MODIFY \`activity_id\` bigint UNSIGNED NULL`);
    await queryRunner.query(`ALTER TABLE \`discussion_posts\` MODIFY \`activity_id\` bigint UNSIGNED NULL`);
    await queryRunner.query(`CREATE INDEX \`idx_discussion_threads_course\` ON \`discussion_threads\` (\`course_id\`, \`pinned\`, \`last_activity_at\`)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE p FROM \`discussion_posts\` p WHERE p.\`activity_id\` IS NULL`);
    await queryRunner.query(`DELETE FROM \`discussion_threads\` WHERE \`activity_id\` IS NULL`);
    await queryRunner.query(`DROP INDEX \`idx_discussion_threads_course\` ON \`discussion_threads\``);
    await queryRunner.query(`ALTER TABLE \`discussion_posts\` MODIFY \`activity_id\` bigint UNSIGNED NOT NULL`);
    await queryRunner.query(`ALTER TABLE \`discussion_threads\` MODIFY \`activity_id\` bigint UNSIGNED NOT NULL`);
  }
}
