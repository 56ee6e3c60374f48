import { MigrationInterface, QueryRunner } from 'typeorm';

export class Discussions1795613428161 implements MigrationInterface {
  name = 'Discussions1795613428161';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`discussion_threads\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`activity_id\` bigint UNSIGNED NOT NULL, \`course_id\` bigint UNSIGNED NOT NULL, \`author_id\` bigint UNSIGNED NOT NULL, \`title\` varchar(200) NOT NULL, \`pinned\` tinyint NOT NULL DEFAULT 0, \`locked\` tinyint NOT NULL DEFAULT 0, \`post_count\` int UNSIGNED NOT NULL DEFAULT '0', \`last_activity_at\` datetime(3) NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_discussion_threads_list\` (\`activity_id\`, \`pinned\`, \`last_activity_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`discussion_posts\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`thread_id\` bigint UNSIGNED NOT NULL, \`activity_id\` bigint UNSIGNED NOT NULL, \`author_id\` bigint UNSIGNED NOT NULL, \`parent_id\` bigint UNSIGNED NULL, \`body\` mediumtext NOT NULL, \`char_count\` int UNSIGNED NOT NULL, \`hidden\` tinyint NOT NULL DEFAULT 0, \`featured\` tinyint NOT NULL DEFAULT 0, \`edited_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX \`idx_discussion_posts_author\` (\`activity_id\`, \`author_id\`), INDEX \`idx_discussion_posts_thread\` (\`thread_id\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`discussion_threads\` ADD CONSTRAINT \`FK_5a3d695922fd6c374930d5cd7ab\` FOREIGN KEY (\`activity_id\`) REFERENCES \`activities\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`discussion_threads\` ADD CONSTRAINT \`FK_6925ca722ce9ed3dbe63a123198\` FOREIGN KEY (\`author_id\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`discussion_posts\` ADD CONSTRAINT \`FK_0b0950535a2571b4f375db7b4ae\` FOREIGN KEY (\`thread_id\`) REFERENCES \`discussion_threads\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`discussion_posts\` ADD CONSTRAINT \`FK_5861d03c3859af8f7b40032ef08\` FOREIGN KEY (\`author_id\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`discussion_posts\` DROP FOREIGN KEY \`FK_5861d03c3859af8f7b40032ef08\``);
    await queryRunner.query(`ALTER TABLE \`discussion_posts\` DROP FOREIGN KEY \`FK_0b0950535a2571b4f375db7b4ae\``);
    await queryRunner.query(`ALTER TABLE \`discussion_threads\` DROP FOREIGN KEY \`FK_6925ca722ce9ed3dbe63a123198\``);
    await queryRunner.query(`ALTER TABLE \`discussion_threads\` DROP FOREIGN KEY \`FK_5a3d695922fd6c374930d5cd7ab\``);
    await queryRunner.query(`DROP INDEX \`idx_discussion_posts_thread\` ON \`discussion_posts\``);
    await queryRunner.query(`DROP INDEX \`idx_discussion_posts_author\` ON \`discussion_posts\``);
    await queryRunner.query(`DROP TABLE \`discussion_posts\``);
    await queryRunner.query(`DROP INDEX \`idx_discussion_threads_list\` ON \`discussion_threads\``);
    await queryRunner.query(`DROP TABLE \`discussion_threads\``);
  }
}
