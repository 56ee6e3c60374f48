import { MigrationInterface, QueryRunner } from 'typeorm';

/** 经验交流: cases, their tags, comments and once-per-person useful marks. */
export class Cases1796605000000 implements MigrationInterface {
  name = 'Cases1796605000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`cases\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`author_id\` bigint UNSIGNED NOT NULL, \`unit_id\` bigint UNSIGNED NOT NULL, \`branch_id\` bigint UNSIGNED NOT NULL, \`record_id\` bigint UNSIGNED NULL, \`title\` varchar(200) NOT NULL, \`body\` mediumtext NOT NULL, \`recommended_at\` datetime(3) NULL, \`featured\` tinyint NOT NULL DEFAULT 0, \`hidden\` tinyint NOT NULL DEFAULT 0, \`locked\` tinyint NOT NULL DEFAULT 0, \`useful_count\` int UNSIGNED NOT NULL DEFAULT '0', \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_cases_unit\` (\`unit_id\`, \`id\`), INDEX \`idx_cases_featured\` (\`featured\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`case_tags\` (\`case_id\` bigint UNSIGNED NOT NULL, \`tag\` varchar(30) NOT NULL, INDEX \`idx_case_tags_tag\` (\`tag\`, \`case_id\`), PRIMARY KEY (\`case_id\`, \`tag\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`case_comments\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`case_id\` bigint UNSIGNED NOT NULL, \`author_id\` bigint UNSIGNED NOT NULL, \`body\` text NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX \`idx_case_comments_case\` (\`case_id\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`case_useful_marks\` (\`case_id\` bigint UNSIGNED NOT NULL, \`user_id\` bigint UNSIGNED NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), PRIMARY KEY (\`case_id\`, \`user_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`cases\` ADD CONSTRAINT \`FK_06fbba02152df11ea8c3c947a1a\` FOREIGN KEY (\`author_id\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`case_tags\` ADD CONSTRAINT \`FK_b58361e38b095d80ad0e3097986\` FOREIGN KEY (\`case_id\`) REFERENCES \`cases\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`case_comments\` ADD CONSTRAINT \`FK_8084a4a5261a930aa19b75b3a34\` FOREIGN KEY (\`case_id\`) REFERENCES \`cases\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`case_comments\` ADD CONSTRAINT \`FK_22a9b05e0926fcc396fc615bed6\` FOREIGN KEY (\`author_id\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`case_useful_marks\` ADD CONSTRAINT \`FK_2dadd83804ae78825f00a854281\` FOREIGN KEY (\`case_id\`) REFERENCES \`cases\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`case_useful_marks\` ADD CONSTRAINT \`FK_1aecd060136fd677d5b8ff09899\` FOREIGN KEY (\`user_id\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`case_useful_marks\` DROP FOREIGN KEY \`FK_1aecd060136fd677d5b8ff09899\``);
    await queryRunner.query(`ALTER TABLE \`case_useful_marks\` DROP FOREIGN KEY \`FK_2dadd83804ae78825f00a854281\``);
    await queryRunner.query(`ALTER TABLE \`case_comments\` DROP FOREIGN KEY \`FK_22a9b05e0926fcc396fc615bed6\``);
    await queryRunner.query(`ALTER TABLE \`case_comments\` DROP FOREIGN KEY \`FK_8084a4a5261a930aa19b75b3a34\``);
    await queryRunner.query(`ALTER TABLE \`case_tags\` DROP FOREIGN KEY \`FK_b58361e38b095d80ad0e3097986\``);
    await queryRunner.query(`ALTER TABLE \`cases\` DROP FOREIGN KEY \`FK_06fbba02152df11ea8c3c947a1a\``);
    await queryRunner.query(`DROP TABLE \`case_useful_marks\``);
    await queryRunner.query(`DROP INDEX \`idx_case_comments_case\` ON \`case_comments\``);
    await queryRunner.query(`DROP TABLE \`case_comments\``);
    await queryRunner.query(`DROP INDEX \`idx_case_tags_tag\` ON \`case_tags\``);
    await queryRunner.query(`DROP TABLE \`case_tags\``);
    await queryRunner.query(`DROP INDEX \`idx_cases_featured\` ON \`cases\``);
    await queryRunner.query(`DROP INDEX \`idx_cases_unit\` ON \`cases\``);
    await queryRunner.query(`DROP TABLE \`cases\``);
  }
}
