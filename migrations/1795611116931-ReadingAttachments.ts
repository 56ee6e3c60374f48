import { MigrationInterface, QueryRunner } from 'typeorm';

export class ReadingAttachments1795611116931 implements MigrationInterface {
  name = 'ReadingAttachments1795611116931';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`reading_attachments\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`activity_id\` bigint UNSIGNED NOT NULL, \`storage_key\` varchar(300) NOT NULL, \`file_name\` varchar(255) NOT NULL, \`size_bytes\` bigint UNSIGNED NOT NULL, \`uploaded_by\` bigint UNSIGNED NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX \`idx_reading_attachments_activity\` (\`activity_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`reading_attachments\` ADD CONSTRAINT \`FK_cbd7bbe8b02cefa876d08cd22f2\` FOREIGN KEY (\`activity_id\`) REFERENCES \`activities\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`reading_attachments\` DROP FOREIGN KEY \`FK_cbd7bbe8b02cefa876d08cd22f2\``);
    await queryRunner.query(`DROP INDEX \`idx_reading_attachments_activity\` ON \`reading_attachments\``);
    await queryRunner.query(`DROP TABLE \`reading_attachments\``);
  }
}
