import { MigrationInterface, QueryRunner } from 'typeorm';

export class Reminders1795616312316 implements MigrationInterface {
  name = 'Reminders1795616312316';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`reminder_deliveries\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`dedupe_key\` varchar(190) NOT NULL, \`kind\` enum ('due-soon', 'overdue', 'session-tomorrow', 'digest', 'summary') NOT NULL, \`user_id\` bigint UNSIGNED NOT NULL, \`course_id\` bigint UNSIGNED NOT NULL, \`subject_id\` bigint UNSIGNED NOT NULL, \`period\` varchar(20) NOT NULL, \`status\` enum ('pending', 'queued', 'sending', 'sent', 'in_app_only', 'skipped', 'retrying', 'failed') NOT NULL DEFAULT 'pending', \`email\` varchar(254) NULL, \`mail_attempts\` int UNSIGNED NOT NULL DEFAULT '0', \`last_error\` varchar(500) NULL, \`claimed_at\` datetime(3) NULL, \`sent_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_reminder_deliveries_course\` (\`course_id\`, \`status\`), INDEX \`idx_reminder_deliveries_status\` (\`status\`, \`updated_at\`), UNIQUE INDEX \`uq_reminder_deliveries_key\` (\`dedupe_key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`users\` ADD \`weekly_digest\` tinyint NOT NULL DEFAULT 1`);
    await queryRunner.query(`ALTER TABLE \`reminder_deliveries\` ADD CONSTRAINT \`FK_120aa4e2b6349b1a1fd33237134\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`reminder_deliveries\` DROP FOREIGN KEY \`FK_120aa4e2b6349b1a1fd33237134\``);
    await queryRunner.query(`ALTER TABLE \`users\` DROP COLUMN \`weekly_digest\``);
    await queryRunner.query(`DROP INDEX \`uq_reminder_deliveries_key\` ON \`reminder_deliveries\``);
    await queryRunner.query(`DROP INDEX \`idx_reminder_deliveries_status\` ON \`reminder_deliveries\``);
    await queryRunner.query(`DROP INDEX \`idx_reminder_deliveries_course\` ON \`reminder_deliveries\``);
    await queryRunner.query(`DROP TABLE \`reminder_deliveries\``);
  }
}
