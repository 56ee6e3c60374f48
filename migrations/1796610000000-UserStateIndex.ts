import { MigrationInterface, QueryRunner } from 'typeorm';

export class UserStateIndex1796610000000 implements MigrationInterface {
  name = 'UserStateIndex1796610000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Serves the user_id foreign key too: MariaDB and MySQL then drop the index they made for it themselves.
    await queryRunner.query(`CREATE INDEX \`idx_activity_progress_user_state\` ON \`activity_progress\` (\`user_id\`, \`state\`, \`activity_id\`)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // The foreign key needs an index on user_id before this one can go.
    await queryRunner.query(`CREATE INDEX \`FK_78df0a5b9499bca68ed204ebddd\` ON \`activity_progress\` (\`user_id\`)`);
    await queryRunner.query(`DROP INDEX \`idx_activity_progress_user_state\` ON \`activity_progress\``);
  }
}
