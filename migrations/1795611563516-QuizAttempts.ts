import { MigrationInterface, QueryRunner } from 'typeorm';

export class QuizAttempts1795611563516 implements MigrationInterface {
  name = 'QuizAttempts1795611563516';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`quiz_attempts\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`activity_id\` bigint UNSIGNED NOT NULL, \`course_id\` bigint UNSIGNED NOT NULL, \`user_id\` bigint UNSIGNED NOT NULL, \`number\` smallint UNSIGNED NOT NULL, \`status\` enum ('open', 'submitted', 'expired') NOT NULL DEFAULT 'open', \`layout\` text NOT NULL, \`answers\` text NOT NULL, \`started_at\` datetime(3) NOT NULL, \`deadline_at\` datetime(3) NULL, \`submitted_at\` datetime(3) NULL, \`score\` decimal(7,2) NULL, \`max_score\` decimal(7,2) NULL, \`passed\` tinyint NULL, \`results\` text NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_quiz_attempts_activity_status\` (\`activity_id\`, \`status\`), UNIQUE INDEX \`uq_quiz_attempts_number\` (\`activity_id\`, \`user_id\`, \`number\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`quiz_attempts\` ADD CONSTRAINT \`FK_6ca48f7c2285a0856e8a0272511\` FOREIGN KEY (\`activity_id\`) REFERENCES \`activities\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`quiz_attempts\` ADD CONSTRAINT \`FK_1701aaf48f6a78e96bfe08dd395\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`quiz_attempts\` DROP FOREIGN KEY \`FK_1701aaf48f6a78e96bfe08dd395\``);
    await queryRunner.query(`ALTER TABLE \`quiz_attempts\` DROP FOREIGN KEY \`FK_6ca48f7c2285a0856e8a0272511\``);
    await queryRunner.query(`DROP INDEX \`uq_quiz_attempts_number\` ON \`quiz_attempts\``);
    await queryRunner.query(`DROP INDEX \`idx_quiz_attempts_activity_status\` ON \`quiz_attempts\``);
    await queryRunner.query(`DROP TABLE \`quiz_attempts\``);
  }
}
