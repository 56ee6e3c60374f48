import { MigrationInterface, QueryRunner } from 'typeorm';

export class CheckpointAnswers1795626909795 implements MigrationInterface {
  name = 'CheckpointAnswers1795626909795';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`video_checkpoint_answers\` (\`activity_id\` bigint UNSIGNED NOT NULL, \`user_id\` bigint UNSIGNED NOT NULL, \`checkpoint_index\` smallint UNSIGNED NOT NULL, \`answered_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), PRIMARY KEY (\`activity_id\`, \`user_id\`, \`checkpoint_index\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`video_checkpoint_answers\` ADD CONSTRAINT \`FK_c539e13bb32b666bb04f406e103\` FOREIGN KEY (\`activity_id\`) REFERENCES \`activities\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`video_checkpoint_answers\` ADD CONSTRAINT \`FK_ef5f22f58e8ba2782fedc745563\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`video_checkpoint_answers\` DROP FOREIGN KEY \`FK_ef5f22f58e8ba2782fedc745563\``);
    await queryRunner.query(`ALTER TABLE \`video_checkpoint_answers\` DROP FOREIGN KEY \`FK_c539e13bb32b666bb04f406e103\``);
    await queryRunner.query(`DROP TABLE \`video_checkpoint_answers\``);
  }
}
