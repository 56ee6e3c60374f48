import { MigrationInterface, QueryRunner } from 'typeorm';

export class VideoLessons1795608718408 implements MigrationInterface {
  name = 'VideoLessons1795608718408';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`video_files\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`activity_id\` bigint UNSIGNED NOT NULL, \`storage_key\` varchar(300) NOT NULL, \`mime_type\` varchar(50) NOT NULL, \`size_bytes\` bigint UNSIGNED NOT NULL, \`duration_seconds\` decimal(10,3) NOT NULL, \`original_name\` varchar(255) NOT NULL, \`uploaded_by\` bigint UNSIGNED NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), UNIQUE INDEX \`IDX_4373289614a49a039d8023c927\` (\`activity_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`video_progress\` (\`activity_id\` bigint UNSIGNED NOT NULL, \`user_id\` bigint UNSIGNED NOT NULL, \`course_id\` bigint UNSIGNED NOT NULL, \`intervals\` text NOT NULL, \`watched_seconds\` decimal(10,1) NOT NULL, \`position_seconds\` decimal(10,1) NOT NULL, \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_video_progress_course\` (\`course_id\`), PRIMARY KEY (\`activity_id\`, \`user_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`video_files\` ADD CONSTRAINT \`FK_4373289614a49a039d8023c927c\` FOREIGN KEY (\`activity_id\`) REFERENCES \`activities\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`video_progress\` ADD CONSTRAINT \`FK_75feec140e721b5f50d25234427\` FOREIGN KEY (\`activity_id\`) REFERENCES \`activities\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`video_progress\` ADD CONSTRAINT \`FK_faa4b6e58d374e440621b2ae801\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`video_progress\` DROP FOREIGN KEY \`FK_faa4b6e58d374e440621b2ae801\``);
    await queryRunner.query(`ALTER TABLE \`video_progress\` DROP FOREIGN KEY \`FK_75feec140e721b5f50d25234427\``);
    await queryRunner.query(`ALTER TABLE \`video_files\` DROP FOREIGN KEY \`FK_4373289614a49a039d8023c927c\``);
    await queryRunner.query(`DROP INDEX \`idx_video_progress_course\` ON \`video_progress\``);
    await queryRunner.query(`DROP TABLE \`video_progress\``);
    await queryRunner.query(`DROP INDEX \`IDX_4373289614a49a039d8023c927\` ON \`video_files\``);
    await queryRunner.query(`DROP TABLE \`video_files\``);
  }
}
