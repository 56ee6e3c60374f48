import { MigrationInterface, QueryRunner } from 'typeorm';

export class Surveys1796600100000 implements MigrationInterface {
  name = 'Surveys1796600100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`surveys\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`author_id\` bigint UNSIGNED NOT NULL, \`title\` varchar(200) NOT NULL, \`anonymous\` tinyint NOT NULL DEFAULT 0, \`audience_kind\` enum ('course', 'unit', 'all') NOT NULL, \`course_id\` bigint UNSIGNED NULL, \`unit_id\` bigint UNSIGNED NULL, \`opens_at\` datetime(3) NOT NULL, \`closes_at\` datetime(3) NOT NULL, \`questions\` json NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX \`idx_surveys_author\` (\`author_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`survey_respondents\` (\`survey_id\` bigint UNSIGNED NOT NULL, \`user_id\` bigint UNSIGNED NOT NULL, PRIMARY KEY (\`survey_id\`, \`user_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`survey_answers\` (\`id\` char(32) NOT NULL, \`survey_id\` bigint UNSIGNED NOT NULL, \`user_id\` bigint UNSIGNED NULL, \`unit_id\` bigint UNSIGNED NULL, \`answered_on\` date NOT NULL, \`answers\` json NOT NULL, UNIQUE INDEX \`uq_survey_answers_named\` (\`survey_id\`, \`user_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`surveys\` ADD CONSTRAINT \`FK_a041971f4ea8740fbe6924630c0\` FOREIGN KEY (\`author_id\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`survey_respondents\` ADD CONSTRAINT \`FK_c25b5fa0f9487e7e3404d334985\` FOREIGN KEY (\`survey_id\`) REFERENCES \`surveys\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`survey_answers\` ADD CONSTRAINT \`FK_7706eaff48fe935eef4bd68ce30\` FOREIGN KEY (\`survey_id\`) REFERENCES \`surveys\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`survey_answers\` DROP FOREIGN KEY \`FK_7706eaff48fe935eef4bd68ce30\``);
    await queryRunner.query(`ALTER TABLE \`survey_respondents\` DROP FOREIGN KEY \`FK_c25b5fa0f9487e7e3404d334985\``);
    await queryRunner.query(`ALTER TABLE \`surveys\` DROP FOREIGN KEY \`FK_a041971f4ea8740fbe6924630c0\``);
    await queryRunner.query(`DROP INDEX \`uq_survey_answers_named\` ON \`survey_answers\``);
    await queryRunner.query(`DROP TABLE \`survey_answers\``);
    await queryRunner.query(`DROP TABLE \`survey_respondents\``);
    await queryRunner.query(`DROP INDEX \`idx_surveys_author\` ON \`surveys\``);
    await queryRunner.query(`DROP TABLE \`surveys\``);
  }
}
