import { MigrationInterface, QueryRunner } from 'typeorm';

export class Notifications1795610997178 implements MigrationInterface {
  name = 'Notifications1795610997178';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`notifications\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`user_id\` bigint UNSIGNED NOT NULL, \`kind\` varchar(50) NOT NULL, \`title\` varchar(200) NOT NULL, \`body\` text NOT NULL, \`link\` varchar(300) NULL, \`dedupe_key\` varchar(190) NULL, \`read_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), UNIQUE INDEX \`uq_notifications_dedupe\` (\`dedupe_key\`), INDEX \`idx_notifications_user_read\` (\`user_id\`, \`read_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`notifications\` ADD CONSTRAINT \`FK_9a8a82462cab47c73d25f49261f\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`notifications\` DROP FOREIGN KEY \`FK_9a8a82462cab47c73d25f49261f\``);
    await queryRunner.query(`DROP INDEX \`idx_notifications_user_read\` ON \`notifications\``);
    await queryRunner.query(`DROP INDEX \`uq_notifications_dedupe\` ON \`notifications\``);
    await queryRunner.query(`DROP TABLE \`notifications\``);
  }
}
