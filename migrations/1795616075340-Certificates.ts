import { MigrationInterface, QueryRunner } from 'typeorm';

export class Certificates1795616075340 implements MigrationInterface {
  name = 'Certificates1795616075340';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`certificate_batches\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`course_id\` bigint UNSIGNED NOT NULL, \`job_id\` varchar(120) NULL, \`origin\` enum ('close', 'admin') NOT NULL, \`forced\` tinyint NOT NULL DEFAULT 0, \`state\` enum ('queued', 'running', 'done', 'failed') NOT NULL DEFAULT 'queued', \`total\` int UNSIGNED NOT NULL DEFAULT '0', \`done\` int UNSIGNED NOT NULL DEFAULT '0', \`issued\` int UNSIGNED NOT NULL DEFAULT '0', \`error\` varchar(500) NULL, \`requested_by\` bigint UNSIGNED NULL, \`started_at\` datetime(3) NULL, \`finished_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_certificate_batches_course\` (\`course_id\`), UNIQUE INDEX \`uq_certificate_batches_job\` (\`job_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`certificate_sequences\` (\`course_id\` bigint UNSIGNED NOT NULL, \`last_seq\` int UNSIGNED NOT NULL DEFAULT '0', PRIMARY KEY (\`course_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`certificates\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`course_id\` bigint UNSIGNED NOT NULL, \`user_id\` bigint UNSIGNED NOT NULL, \`batch_id\` bigint UNSIGNED NULL, \`seq\` int UNSIGNED NOT NULL, \`serial\` varchar(20) NOT NULL, \`verification_code\` varchar(32) NOT NULL, \`code_hash\` char(64) NOT NULL, \`live\` tinyint NULL, \`name\` varchar(100) NOT NULL, \`unit_id\` bigint UNSIGNED NULL, \`unit_name\` varchar(100) NULL, \`branch_id\` bigint UNSIGNED NULL, \`branch_name\` varchar(100) NULL, \`course_title\` varchar(200) NOT NULL, \`credit_hours\` decimal(7,1) NOT NULL, \`issued_at\` datetime(3) NOT NULL, \`pdf_key\` varchar(255) NULL, \`revoked_at\` datetime(3) NULL, \`revoked_reason\` varchar(500) NULL, \`revoked_by\` bigint UNSIGNED NULL, \`reissue_of_id\` bigint UNSIGNED NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX \`idx_certificates_user\` (\`user_id\`), INDEX \`idx_certificates_course_branch\` (\`course_id\`, \`branch_id\`), INDEX \`idx_certificates_course_unit\` (\`course_id\`, \`unit_id\`), UNIQUE INDEX \`uq_certificates_reissue_of\` (\`reissue_of_id\`), UNIQUE INDEX \`uq_certificates_code_hash\` (\`code_hash\`), UNIQUE INDEX \`uq_certificates_course_seq\` (\`course_id\`, \`seq\`), UNIQUE INDEX \`uq_certificates_live\` (\`course_id\`, \`user_id\`, \`live\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`certificates\` ADD CONSTRAINT \`FK_3b6a412073ea28153dc20a843b4\` FOREIGN KEY (\`course_id\`) REFERENCES \`courses\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`certificates\` ADD CONSTRAINT \`FK_88f90b1b9c635c14271e509cec0\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`certificates\` DROP FOREIGN KEY \`FK_88f90b1b9c635c14271e509cec0\``);
    await queryRunner.query(`ALTER TABLE \`certificates\` DROP FOREIGN KEY \`FK_3b6a412073ea28153dc20a843b4\``);
    await queryRunner.query(`DROP INDEX \`uq_certificates_live\` ON \`certificates\``);
    await queryRunner.query(`DROP INDEX \`uq_certificates_course_seq\` ON \`certificates\``);
    await queryRunner.query(`DROP INDEX \`uq_certificates_code_hash\` ON \`certificates\``);
    await queryRunner.query(`DROP INDEX \`uq_certificates_reissue_of\` ON \`certificates\``);
    await queryRunner.query(`DROP INDEX \`idx_certificates_course_unit\` ON \`certificates\``);
    await queryRunner.query(`DROP INDEX \`idx_certificates_course_branch\` ON \`certificates\``);
    await queryRunner.query(`DROP INDEX \`idx_certificates_user\` ON \`certificates\``);
    await queryRunner.query(`DROP TABLE \`certificates\``);
    await queryRunner.query(`DROP TABLE \`certificate_sequences\``);
    await queryRunner.query(`DROP INDEX \`uq_certificate_batches_job\` ON \`certificate_batches\``);
    await queryRunner.query(`DROP INDEX \`idx_certificate_batches_course\` ON \`certificate_batches\``);
    await queryRunner.query(`DROP TABLE \`certificate_batches\``);
  }
}
