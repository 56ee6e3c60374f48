import { MigrationInterface, QueryRunner } from 'typeorm';

export class QuestionBank1795615947273 implements MigrationInterface {
  name = 'QuestionBank1795615947273';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`quiz_bank_questions\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`course_id\` bigint UNSIGNED NOT NULL, \`key\` varchar(80) NOT NULL, \`tags\` text NOT NULL, \`question\` text NOT NULL, \`archived_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), UNIQUE INDEX \`uq_quiz_bank_questions_key\` (\`course_id\`, \`key\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`quiz_attempts\` ADD \`questions\` mediumtext NULL`);
    await queryRunner.query(`ALTER TABLE \`quiz_bank_questions\` ADD CONSTRAINT \`FK_78b01ce34a8b536b3bb6581c6bd\` FOREIGN KEY (\`course_id\`) REFERENCES \`courses\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`quiz_bank_questions\` DROP FOREIGN KEY \`FK_78b01ce34a8b536b3bb6581c6bd\``);
    await queryRunner.query(`ALTER TABLE \`quiz_attempts\` DROP COLUMN \`questions\``);
    await queryRunner.query(`DROP INDEX \`uq_quiz_bank_questions_key\` ON \`quiz_bank_questions\``);
    await queryRunner.query(`DROP TABLE \`quiz_bank_questions\``);
  }
}
