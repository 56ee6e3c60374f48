import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * 经验交流: a case's kind (类别), set for the cases already made from a handbook record as new ones default to
 * (see src/cases/case-kinds.ts), and the photos and files a case's author adds.
 */
export class CaseKindsAndFiles1796606000000 implements MigrationInterface {
  name = 'CaseKindsAndFiles1796606000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`case_files\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`case_id\` bigint UNSIGNED NOT NULL, \`kind\` enum ('photo', 'document') NOT NULL, \`mime_type\` varchar(100) NOT NULL, \`file_name\` varchar(200) NOT NULL, \`size\` int UNSIGNED NOT NULL, \`storage_key\` varchar(200) NOT NULL, \`uploaded_by\` bigint UNSIGNED NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX \`idx_case_files_case\` (\`case_id\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`cases\` ADD \`kind\` enum ('organization_life', 'member_education', 'serving_people', 'institution_building', 'publicity', 'other') NOT NULL DEFAULT 'other'`);
    await queryRunner.query(`CREATE INDEX \`idx_cases_kind\` ON \`cases\` (\`kind\`, \`id\`)`);
    await queryRunner.query(`ALTER TABLE \`case_files\` ADD CONSTRAINT \`FK_3807f4ad71de54ac07d3440acb4\` FOREIGN KEY (\`case_id\`) REFERENCES \`cases\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(
      `UPDATE \`cases\` c JOIN \`branch_records\` r ON r.id = c.record_id SET c.kind = CASE WHEN r.kind = 'party_lecture' THEN 'member_education' WHEN r.kind IN ('members_meeting', 'committee_meeting', 'group_meeting', 'theme_day', 'life_meeting', 'member_review', 'heart_talk') THEN 'organization_life' ELSE 'other' END`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`case_files\` DROP FOREIGN KEY \`FK_3807f4ad71de54ac07d3440acb4\``);
    await queryRunner.query(`DROP INDEX \`idx_cases_kind\` ON \`cases\``);
    await queryRunner.query(`ALTER TABLE \`cases\` DROP COLUMN \`kind\``);
    await queryRunner.query(`DROP INDEX \`idx_case_files_case\` ON \`case_files\``);
    await queryRunner.query(`DROP TABLE \`case_files\``);
  }
}
