import { MigrationInterface, QueryRunner } from 'typeorm';

/** A certificate states when its holder completed the course, not only when it was issued (compiled early, the two differ). */
export class CertificateCompletionDate1795640100000 implements MigrationInterface {
  name = 'CertificateCompletionDate1795640100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`certificates\` ADD \`completed_at\` datetime(3) NULL`);
    await queryRunner.query(
      `UPDATE certificates c
         LEFT JOIN course_results r ON r.course_id = c.course_id AND r.user_id = c.user_id
         LEFT JOIN course_progress p ON p.course_id = c.course_id AND p.user_id = c.user_id
          SET c.completed_at = COALESCE(r.completed_at, p.completed_at)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`certificates\` DROP COLUMN \`completed_at\``);
  }
}
