import { MigrationInterface, QueryRunner } from 'typeorm';

export class Reflections1795610051193 implements MigrationInterface {
  name = 'Reflections1795610051193';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`reflections\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`activity_id\` bigint UNSIGNED NOT NULL, \`course_id\` bigint UNSIGNED NOT NULL, \`user_id\` bigint UNSIGNED NOT NULL, \`body\` mediumtext NOT NULL, \`char_count\` int UNSIGNED NOT NULL, \`status\` enum ('draft', 'submitted', 'returned', 'approved') NOT NULL, \`feedback\` text NULL, \`excellent\` tinyint NOT NULL DEFAULT 0, \`share_consent\` tinyint NOT NULL DEFAULT 0, \`simhash\` bigint UNSIGNED NOT NULL DEFAULT '0', \`copy_source\` varchar(40) NULL, \`copy_similarity\` decimal(4,3) NULL, \`submitted_at\` datetime(3) NULL, \`reviewed_by\` bigint UNSIGNED NULL, \`reviewed_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_reflections_activity_status\` (\`activity_id\`, \`status\`), UNIQUE INDEX \`uq_reflections_activity_user\` (\`activity_id\`, \`user_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`reflection_revisions\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`reflection_id\` bigint UNSIGNED NOT NULL, \`event\` enum ('submitted', 'returned', 'approved') NOT NULL, \`body\` mediumtext NULL, \`feedback\` text NULL, \`actor_id\` bigint UNSIGNED NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX \`idx_reflection_revisions_reflection\` (\`reflection_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`reflections\` ADD CONSTRAINT \`FK_40c04e3b89e5aaf312012472a27\` FOREIGN KEY (\`activity_id\`) REFERENCES \`activities\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`reflections\` ADD CONSTRAINT \`FK_f1c8839d90e44918e26b56cbb2e\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`reflection_revisions\` ADD CONSTRAINT \`FK_88d25403de104fb7b013d15f2a9\` FOREIGN KEY (\`reflection_id\`) REFERENCES \`reflections\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`reflection_revisions\` DROP FOREIGN KEY \`FK_88d25403de104fb7b013d15f2a9\``);
    await queryRunner.query(`ALTER TABLE \`reflections\` DROP FOREIGN KEY \`FK_f1c8839d90e44918e26b56cbb2e\``);
    await queryRunner.query(`ALTER TABLE \`reflections\` DROP FOREIGN KEY \`FK_40c04e3b89e5aaf312012472a27\``);
    await queryRunner.query(`DROP INDEX \`idx_reflection_revisions_reflection\` ON \`reflection_revisions\``);
    await queryRunner.query(`DROP TABLE \`reflection_revisions\``);
    await queryRunner.query(`DROP INDEX \`uq_reflections_activity_user\` ON \`reflections\``);
    await queryRunner.query(`DROP INDEX \`idx_reflections_activity_status\` ON \`reflections\``);
    await queryRunner.query(`DROP TABLE \`reflections\``);
  }
}
