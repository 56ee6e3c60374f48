import { MigrationInterface, QueryRunner } from 'typeorm';

export class Curriculum1795607279548 implements MigrationInterface {
  name = 'Curriculum1795607279548';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`courses\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`title\` varchar(200) NOT NULL, \`description\` text NULL, \`starts_at\` datetime(3) NOT NULL, \`ends_at\` datetime(3) NOT NULL, \`grace_days\` smallint UNSIGNED NOT NULL DEFAULT '0', \`required_credit_hours\` decimal(6,1) NOT NULL DEFAULT '0.0', \`required_sessions\` smallint UNSIGNED NOT NULL DEFAULT '0', \`status\` enum ('draft', 'published', 'closed') NOT NULL DEFAULT 'draft', \`published_at\` datetime(3) NULL, \`closed_at\` datetime(3) NULL, \`content_key\` varchar(100) NULL, \`created_by\` bigint UNSIGNED NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_courses_status_ends\` (\`status\`, \`ends_at\`), UNIQUE INDEX \`IDX_c7d954efc159b4ccc4db2ec88a\` (\`content_key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`sections\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`course_id\` bigint UNSIGNED NOT NULL, \`title\` varchar(200) NOT NULL, \`description\` text NULL, \`position\` int NOT NULL DEFAULT '0', \`content_key\` varchar(100) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_sections_course_position\` (\`course_id\`, \`position\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`activities\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`course_id\` bigint UNSIGNED NOT NULL, \`section_id\` bigint UNSIGNED NOT NULL, \`type\` enum ('video', 'reading', 'quiz', 'discussion', 'session') NOT NULL, \`title\` varchar(200) NOT NULL, \`required\` tinyint NOT NULL DEFAULT 1, \`credit_hours\` decimal(5,1) NOT NULL DEFAULT '0.0', \`opens_at\` datetime(3) NULL, \`due_at\` datetime(3) NULL, \`position\` int NOT NULL DEFAULT '0', \`settings\` text NOT NULL, \`archived_at\` datetime(3) NULL, \`content_key\` varchar(100) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), UNIQUE INDEX \`uq_activities_course_content_key\` (\`course_id\`, \`content_key\`), INDEX \`idx_activities_course\` (\`course_id\`, \`section_id\`, \`position\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`calendar_feeds\` (\`user_id\` bigint UNSIGNED NOT NULL, \`token_hash\` char(64) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), UNIQUE INDEX \`IDX_df53b5f17d35a6bac0fb13e16a\` (\`token_hash\`), PRIMARY KEY (\`user_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`course_instructors\` (\`course_id\` bigint UNSIGNED NOT NULL, \`user_id\` bigint UNSIGNED NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX \`idx_course_instructors_user\` (\`user_id\`), PRIMARY KEY (\`course_id\`, \`user_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`enrollments\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`course_id\` bigint UNSIGNED NOT NULL, \`user_id\` bigint UNSIGNED NOT NULL, \`status\` enum ('active', 'withdrawn') NOT NULL DEFAULT 'active', \`source\` enum ('user', 'branch', 'unit', 'all', 'roster') NOT NULL, \`enrolled_at\` datetime(3) NOT NULL, \`withdrawn_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_enrollments_user\` (\`user_id\`), UNIQUE INDEX \`uq_enrollments_course_user\` (\`course_id\`, \`user_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`enrollment_rules\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`course_id\` bigint UNSIGNED NOT NULL, \`scope\` enum ('branch', 'unit', 'all') NOT NULL, \`target_id\` bigint UNSIGNED NOT NULL DEFAULT '0', \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), UNIQUE INDEX \`uq_enrollment_rules\` (\`course_id\`, \`scope\`, \`target_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`activity_progress\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`course_id\` bigint UNSIGNED NOT NULL, \`activity_id\` bigint UNSIGNED NOT NULL, \`user_id\` bigint UNSIGNED NOT NULL, \`state\` enum ('not_started', 'in_progress', 'completed') NOT NULL DEFAULT 'not_started', \`percent\` tinyint UNSIGNED NOT NULL DEFAULT '0', \`started_at\` datetime(3) NULL, \`completed_at\` datetime(3) NULL, \`last_event_at\` datetime(3) NULL, \`completion_round\` int UNSIGNED NOT NULL DEFAULT '0', \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_activity_progress_course_user\` (\`course_id\`, \`user_id\`), UNIQUE INDEX \`uq_activity_progress\` (\`activity_id\`, \`user_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`course_progress\` (\`course_id\` bigint UNSIGNED NOT NULL, \`user_id\` bigint UNSIGNED NOT NULL, \`required_done\` int UNSIGNED NOT NULL DEFAULT '0', \`required_total\` int UNSIGNED NOT NULL DEFAULT '0', \`credit_hours\` decimal(7,1) NOT NULL DEFAULT '0.0', \`sessions_attended\` int UNSIGNED NOT NULL DEFAULT '0', \`completed\` tinyint NOT NULL DEFAULT 0, \`completed_at\` datetime(3) NULL, \`last_activity_at\` datetime(3) NULL, \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_course_progress_course_completed\` (\`course_id\`, \`completed\`), PRIMARY KEY (\`course_id\`, \`user_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`course_results\` (\`course_id\` bigint UNSIGNED NOT NULL, \`user_id\` bigint UNSIGNED NOT NULL, \`required_done\` int UNSIGNED NOT NULL, \`required_total\` int UNSIGNED NOT NULL, \`credit_hours\` decimal(7,1) NOT NULL, \`sessions_attended\` int UNSIGNED NOT NULL, \`completed\` tinyint NOT NULL, \`completed_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), PRIMARY KEY (\`course_id\`, \`user_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`credit_entries\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`entry_key\` varchar(120) NOT NULL, \`course_id\` bigint UNSIGNED NOT NULL, \`user_id\` bigint UNSIGNED NOT NULL, \`activity_id\` bigint UNSIGNED NULL, \`hours\` decimal(6,1) NOT NULL, \`source\` enum ('online', 'offline') NOT NULL, \`reason\` varchar(200) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX \`idx_credit_entries_course_user\` (\`course_id\`, \`user_id\`), UNIQUE INDEX \`IDX_5875cfa9f2995836c05755e483\` (\`entry_key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`sections\` ADD CONSTRAINT \`FK_53ccbd6e2fa20dac9062f4f4c36\` FOREIGN KEY (\`course_id\`) REFERENCES \`courses\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`activities\` ADD CONSTRAINT \`FK_5c2d04397bd5264e1f7a7ac2deb\` FOREIGN KEY (\`course_id\`) REFERENCES \`courses\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`activities\` ADD CONSTRAINT \`FK_2e6ad934d625205608c4a70dcc7\` FOREIGN KEY (\`section_id\`) REFERENCES \`sections\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`course_instructors\` ADD CONSTRAINT \`FK_ff1fe7ba07418a03281c94fac46\` FOREIGN KEY (\`course_id\`) REFERENCES \`courses\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`course_instructors\` ADD CONSTRAINT \`FK_c204a45ca0de73f6b7d2d0f9442\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`enrollments\` ADD CONSTRAINT \`FK_b79d0bf01779fdf9cfb6b092af3\` FOREIGN KEY (\`course_id\`) REFERENCES \`courses\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`enrollments\` ADD CONSTRAINT \`FK_ff997f5a39cd24a491b9aca45c9\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`activity_progress\` ADD CONSTRAINT \`FK_63f1159a898c208f25b7d172c4c\` FOREIGN KEY (\`activity_id\`) REFERENCES \`activities\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`activity_progress\` ADD CONSTRAINT \`FK_78df0a5b9499bca68ed204ebddd\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`course_progress\` ADD CONSTRAINT \`FK_468b14b39d8428b77d8630bd5cc\` FOREIGN KEY (\`course_id\`) REFERENCES \`courses\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`course_progress\` ADD CONSTRAINT \`FK_85392161b4c16580b3a7d937d94\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`course_progress\` DROP FOREIGN KEY \`FK_85392161b4c16580b3a7d937d94\``);
    await queryRunner.query(`ALTER TABLE \`course_progress\` DROP FOREIGN KEY \`FK_468b14b39d8428b77d8630bd5cc\``);
    await queryRunner.query(`ALTER TABLE \`activity_progress\` DROP FOREIGN KEY \`FK_78df0a5b9499bca68ed204ebddd\``);
    await queryRunner.query(`ALTER TABLE \`activity_progress\` DROP FOREIGN KEY \`FK_63f1159a898c208f25b7d172c4c\``);
    await queryRunner.query(`ALTER TABLE \`enrollments\` DROP FOREIGN KEY \`FK_ff997f5a39cd24a491b9aca45c9\``);
    await queryRunner.query(`ALTER TABLE \`enrollments\` DROP FOREIGN KEY \`FK_b79d0bf01779fdf9cfb6b092af3\``);
    await queryRunner.query(`ALTER TABLE \`course_instructors\` DROP FOREIGN KEY \`FK_c204a45ca0de73f6b7d2d0f9442\``);
    await queryRunner.query(`ALTER TABLE \`course_instructors\` DROP FOREIGN KEY \`FK_ff1fe7ba07418a03281c94fac46\``);
    await queryRunner.query(`ALTER TABLE \`activities\` DROP FOREIGN KEY \`FK_2e6ad934d625205608c4a70dcc7\``);
    await queryRunner.query(`ALTER TABLE \`activities\` DROP FOREIGN KEY \`FK_5c2d04397bd5264e1f7a7ac2deb\``);
    await queryRunner.query(`ALTER TABLE \`sections\` DROP FOREIGN KEY \`FK_53ccbd6e2fa20dac9062f4f4c36\``);
    await queryRunner.query(`DROP INDEX \`IDX_5875cfa9f2995836c05755e483\` ON \`credit_entries\``);
    await queryRunner.query(`DROP INDEX \`idx_credit_entries_course_user\` ON \`credit_entries\``);
    await queryRunner.query(`DROP TABLE \`credit_entries\``);
    await queryRunner.query(`DROP TABLE \`course_results\``);
    await queryRunner.query(`DROP INDEX \`idx_course_progress_course_completed\` ON \`course_progress\``);
    await queryRunner.query(`DROP TABLE \`course_progress\``);
    await queryRunner.query(`DROP INDEX \`uq_activity_progress\` ON \`activity_progress\``);
    await queryRunner.query(`DROP INDEX \`idx_activity_progress_course_user\` ON \`activity_progress\``);
    await queryRunner.query(`DROP TABLE \`activity_progress\``);
    await queryRunner.query(`DROP INDEX \`uq_enrollment_rules\` ON \`enrollment_rules\``);
    await queryRunner.query(`DROP TABLE \`enrollment_rules\``);
    await queryRunner.query(`DROP INDEX \`uq_enrollments_course_user\` ON \`enrollments\``);
    await queryRunner.query(`DROP INDEX \`idx_enrollments_user\` ON \`enrollments\``);
    await queryRunner.query(`DROP TABLE \`enrollments\``);
    await queryRunner.query(`DROP INDEX \`idx_course_instructors_user\` ON \`course_instructors\``);
    await queryRunner.query(`DROP TABLE \`course_instructors\``);
    await queryRunner.query(`DROP INDEX \`IDX_df53b5f17d35a6bac0fb13e16a\` ON \`calendar_feeds\``);
    await queryRunner.query(`DROP TABLE \`calendar_feeds\``);
    await queryRunner.query(`DROP INDEX \`idx_activities_course\` ON \`activities\``);
    await queryRunner.query(`DROP INDEX \`uq_activities_course_content_key\` ON \`activities\``);
    await queryRunner.query(`DROP TABLE \`activities\``);
    await queryRunner.query(`DROP INDEX \`idx_sections_course_position\` ON \`sections\``);
    await queryRunner.query(`DROP TABLE \`sections\``);
    await queryRunner.query(`DROP INDEX \`IDX_c7d954efc159b4ccc4db2ec88a\` ON \`courses\``);
    await queryRunner.query(`DROP INDEX \`idx_courses_status_ends\` ON \`courses\``);
    await queryRunner.query(`DROP TABLE \`courses\``);
  }
}
