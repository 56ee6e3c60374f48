import { MigrationInterface, QueryRunner } from 'typeorm';

export class AssessmentSummary1796609100000 implements MigrationInterface {
  name = 'AssessmentSummary1796609100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`assessment_rounds\` ADD \`listed\` tinyint NOT NULL DEFAULT 0`);
    // Rounds started before this column existed had listed their branches once they had a total.
    await queryRunner.query(`UPDATE \`assessment_rounds\` SET \`listed\` = 1 WHERE \`total\` > 0`);
    await queryRunner.query(`ALTER TABLE \`assessment_rounds\` ADD \`summary\` json NULL`);
    await queryRunner.query(`ALTER TABLE \`assessment_results\` ADD \`unit_rank\` int UNSIGNED NULL`);
    await queryRunner.query(`CREATE INDEX \`idx_assessment_results_rank\` ON \`assessment_results\` (\`round_id\`, \`rank\`, \`seq\`)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_assessment_results_rank\` ON \`assessment_results\``);
    await queryRunner.query(`ALTER TABLE \`assessment_results\` DROP COLUMN \`unit_rank\``);
    await queryRunner.query(`ALTER TABLE \`assessment_rounds\` DROP COLUMN \`summary\``);
    await queryRunner.query(`ALTER TABLE \`assessment_rounds\` DROP COLUMN \`listed\``);
  }
}
