import { MigrationInterface, QueryRunner } from 'typeorm';

export class Suggestions1795613848686 implements MigrationInterface {
  name = 'Suggestions1795613848686';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`suggestions\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`author_id\` bigint UNSIGNED NOT NULL, \`unit_id\` bigint UNSIGNED NULL, \`course_id\` bigint UNSIGNED NULL, \`title\` varchar(200) NOT NULL, \`body\` text NOT NULL, \`anonymous\` tinyint NOT NULL DEFAULT 0, \`status\` enum ('received', 'adopted', 'answered') NOT NULL DEFAULT 'received', \`reply\` text NULL, \`replied_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_suggestions_author\` (\`author_id\`), INDEX \`idx_suggestions_unit_status\` (\`unit_id\`, \`status\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`suggestions\` ADD CONSTRAINT \`FK_905e2619eb9dd68158b11390de4\` FOREIGN KEY (\`author_id\`) REFERENCES \`users\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`suggestions\` DROP FOREIGN KEY \`FK_905e2619eb9dd68158b11390de4\``);
    await queryRunner.query(`DROP INDEX \`idx_suggestions_unit_status\` ON \`suggestions\``);
    await queryRunner.query(`DROP INDEX \`idx_suggestions_author\` ON \`suggestions\``);
    await queryRunner.query(`DROP TABLE \`suggestions\``);
  }
}
