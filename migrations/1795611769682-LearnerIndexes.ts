import { MigrationInterface, QueryRunner } from 'typeorm';

export class LearnerIndexes1795611769682 implements MigrationInterface {
  name = 'LearnerIndexes1795611769682';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // MODIFY, not the generated DROP + ADD: watched intervals already stored must survive.
    await queryRunner.query(`ALTER TABLE \`video_progress\` MODIFY \`intervals\` mediumtext NOT NULL`);
    await queryRunner.query(`CREATE INDEX \`idx_credit_entries_user\` ON \`credit_entries\` (\`user_id\`, \`id\`)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX \`idx_credit_entries_user\` ON \`credit_entries\``);
    await queryRunner.query(`ALTER TABLE \`video_progress\` MODIFY \`intervals\` text NOT NULL`);
  }
}
