import { MigrationInterface, QueryRunner } from 'typeorm';

export class CertificateBatchIssuedUpTo1796609150000 implements MigrationInterface {
  name = 'CertificateBatchIssuedUpTo1796609150000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`certificate_batches\` ADD \`issued_up_to\` int UNSIGNED NULL`);
    // A batch running when this lands was queued by the earlier code, which fanned out its render jobs only
    // once issuing had ended: those jobs may finish it. (Its compile job, if it runs again, resets this.)
    await queryRunner.query(
      `UPDATE \`certificate_batches\` b JOIN \`certificate_sequences\` s ON s.\`course_id\` = b.\`course_id\`
          SET b.\`issued_up_to\` = s.\`last_seq\` WHERE b.\`state\` IN ('running', 'done')`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`certificate_batches\` DROP COLUMN \`issued_up_to\``);
  }
}
