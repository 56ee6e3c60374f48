import { MigrationInterface, QueryRunner } from 'typeorm';

/** The branch's year (一规一表一册): versioned work norms, member lists, annual plans and the handbook's records. */
export class BranchWork1796590635573 implements MigrationInterface {
  name = 'BranchWork1796590635573';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`branch_plans\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`branch_id\` bigint UNSIGNED NOT NULL, \`year\` smallint UNSIGNED NOT NULL, \`status\` enum ('draft', 'submitted', 'approved', 'returned') NOT NULL DEFAULT 'draft', \`review_comment\` varchar(1000) NULL, \`submitted_at\` datetime(3) NULL, \`reviewed_by\` bigint UNSIGNED NULL, \`reviewed_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), UNIQUE INDEX \`uq_branch_plans_branch_year\` (\`branch_id\`, \`year\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`branch_members\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`branch_id\` bigint UNSIGNED NOT NULL, \`name\` varchar(50) NOT NULL, \`category\` enum ('full', 'probationary') NOT NULL DEFAULT 'full', \`joined_at\` date NULL, \`left_at\` date NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_branch_members_branch\` (\`branch_id\`, \`left_at\`, \`name\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`plan_items\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`plan_id\` bigint UNSIGNED NOT NULL, \`month\` tinyint UNSIGNED NOT NULL, \`kind\` varchar(40) NOT NULL, \`title\` varchar(200) NOT NULL, \`norm_id\` bigint UNSIGNED NULL, \`position\` smallint UNSIGNED NOT NULL DEFAULT '0', INDEX \`idx_plan_items_plan_month\` (\`plan_id\`, \`month\`, \`position\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`plan_item_records\` (\`plan_item_id\` bigint UNSIGNED NOT NULL, \`record_id\` bigint UNSIGNED NOT NULL, \`accepted\` tinyint NOT NULL DEFAULT 0, INDEX \`idx_plan_item_records_record\` (\`record_id\`), PRIMARY KEY (\`plan_item_id\`, \`record_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`branch_records\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`branch_id\` bigint UNSIGNED NOT NULL, \`year\` smallint UNSIGNED NOT NULL, \`kind\` varchar(40) NOT NULL, \`norm_id\` bigint UNSIGNED NULL, \`title\` varchar(200) NOT NULL, \`held_at\` datetime(3) NOT NULL, \`place\` varchar(200) NOT NULL DEFAULT '', \`chair\` varchar(50) NULL, \`recorder\` varchar(50) NULL, \`minutes\` mediumtext NOT NULL, \`resolutions\` text NULL, \`plan_item_id\` bigint UNSIGNED NULL, \`status\` enum ('draft', 'submitted', 'accepted', 'returned') NOT NULL DEFAULT 'draft', \`review_comment\` varchar(1000) NULL, \`present_full\` smallint UNSIGNED NOT NULL DEFAULT '0', \`present_probationary\` smallint UNSIGNED NOT NULL DEFAULT '0', \`absent_count\` smallint UNSIGNED NOT NULL DEFAULT '0', \`created_by\` bigint UNSIGNED NOT NULL, \`submitted_at\` datetime(3) NULL, \`reviewed_by\` bigint UNSIGNED NULL, \`reviewed_at\` datetime(3) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), INDEX \`idx_branch_records_year_status\` (\`year\`, \`status\`, \`branch_id\`, \`kind\`), INDEX \`idx_branch_records_branch_year\` (\`branch_id\`, \`year\`, \`held_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`record_attendance\` (\`record_id\` bigint UNSIGNED NOT NULL, \`member_id\` bigint UNSIGNED NOT NULL, \`member_name\` varchar(50) NOT NULL, \`category\` enum ('full', 'probationary') NOT NULL, \`present\` tinyint NOT NULL, \`reason\` varchar(200) NULL, PRIMARY KEY (\`record_id\`, \`member_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`record_corrections\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`record_id\` bigint UNSIGNED NOT NULL, \`field\` varchar(40) NOT NULL, \`old_value\` text NULL, \`new_value\` text NOT NULL, \`reason\` varchar(500) NOT NULL, \`author_id\` bigint UNSIGNED NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX \`idx_record_corrections_record\` (\`record_id\`, \`created_at\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`record_attachments\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`record_id\` bigint UNSIGNED NOT NULL, \`kind\` enum ('photo', 'signInSheet', 'document') NOT NULL DEFAULT 'photo', \`mime_type\` varchar(50) NOT NULL, \`file_name\` varchar(200) NOT NULL, \`size\` int UNSIGNED NOT NULL, \`storage_key\` varchar(200) NOT NULL, \`uploaded_by\` bigint UNSIGNED NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX \`idx_record_attachments_record\` (\`record_id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`norm_versions\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`year\` smallint UNSIGNED NOT NULL, \`version\` int UNSIGNED NOT NULL, \`created_by\` bigint UNSIGNED NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), UNIQUE INDEX \`uq_norm_versions_year_version\` (\`year\`, \`version\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`norms\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`version_id\` bigint UNSIGNED NOT NULL, \`kind\` varchar(40) NOT NULL, \`name\` varchar(100) NOT NULL, \`min_count\` smallint UNSIGNED NOT NULL, \`per\` enum ('month', 'quarter', 'year') NOT NULL, \`branch_kinds\` text NOT NULL, \`requires\` text NOT NULL, \`position\` smallint UNSIGNED NOT NULL DEFAULT '0', UNIQUE INDEX \`uq_norms_version_kind\` (\`version_id\`, \`kind\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`branch_plans\` ADD CONSTRAINT \`FK_aa38136b550767be1be28e20815\` FOREIGN KEY (\`branch_id\`) REFERENCES \`branches\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`branch_members\` ADD CONSTRAINT \`FK_7abb3a9cd47883368663f7f1828\` FOREIGN KEY (\`branch_id\`) REFERENCES \`branches\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`plan_items\` ADD CONSTRAINT \`FK_a27f8030dda3e574e606dc0ae81\` FOREIGN KEY (\`plan_id\`) REFERENCES \`branch_plans\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`plan_item_records\` ADD CONSTRAINT \`FK_fd58041b18a83662494a96e8f3f\` FOREIGN KEY (\`plan_item_id\`) REFERENCES \`plan_items\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`branch_records\` ADD CONSTRAINT \`FK_4930bc6fa8b8946b13c4512b281\` FOREIGN KEY (\`branch_id\`) REFERENCES \`branches\`(\`id\`) ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`record_attendance\` ADD CONSTRAINT \`FK_966f1d3829c3ead1933edce9b84\` FOREIGN KEY (\`record_id\`) REFERENCES \`branch_records\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`record_corrections\` ADD CONSTRAINT \`FK_136886f49848f6dc9a6a07f535e\` FOREIGN KEY (\`record_id\`) REFERENCES \`branch_records\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`record_attachments\` ADD CONSTRAINT \`FK_dee7bdca439f5929d39b68f5a48\` FOREIGN KEY (\`record_id\`) REFERENCES \`branch_records\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`norms\` ADD CONSTRAINT \`FK_106c313238c9eed6d74a14a1987\` FOREIGN KEY (\`version_id\`) REFERENCES \`norm_versions\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`norms\` DROP FOREIGN KEY \`FK_106c313238c9eed6d74a14a1987\``);
    await queryRunner.query(`ALTER TABLE \`record_attachments\` DROP FOREIGN KEY \`FK_dee7bdca439f5929d39b68f5a48\``);
    await queryRunner.query(`ALTER TABLE \`record_corrections\` DROP FOREIGN KEY \`FK_136886f49848f6dc9a6a07f535e\``);
    await queryRunner.query(`ALTER TABLE \`record_attendance\` DROP FOREIGN KEY \`FK_966f1d3829c3ead1933edce9b84\``);
    await queryRunner.query(`ALTER TABLE \`branch_records\` DROP FOREIGN KEY \`FK_4930bc6fa8b8946b13c4512b281\``);
    await queryRunner.query(`ALTER TABLE \`plan_item_records\` DROP FOREIGN KEY \`FK_fd58041b18a83662494a96e8f3f\``);
    await queryRunner.query(`ALTER TABLE \`plan_items\` DROP FOREIGN KEY \`FK_a27f8030dda3e574e606dc0ae81\``);
    await queryRunner.query(`ALTER TABLE \`branch_members\` DROP FOREIGN KEY \`FK_7abb3a9cd47883368663f7f1828\``);
    await queryRunner.query(`ALTER TABLE \`branch_plans\` DROP FOREIGN KEY \`FK_aa38136b550767be1be28e20815\``);
    await queryRunner.query(`DROP INDEX \`uq_norms_version_kind\` ON \`norms\``);
    await queryRunner.query(`DROP TABLE \`norms\``);
    await queryRunner.query(`DROP INDEX \`uq_norm_versions_year_version\` ON \`norm_versions\``);
    await queryRunner.query(`DROP TABLE \`norm_versions\``);
    await queryRunner.query(`DROP INDEX \`idx_record_attachments_record\` ON \`record_attachments\``);
    await queryRunner.query(`DROP TABLE \`record_attachments\``);
    await queryRunner.query(`DROP INDEX \`idx_record_corrections_record\` ON \`record_corrections\``);
    await queryRunner.query(`DROP TABLE \`record_corrections\``);
    await queryRunner.query(`DROP TABLE \`record_attendance\``);
    await queryRunner.query(`DROP INDEX \`idx_branch_records_branch_year\` ON \`branch_records\``);
    await queryRunner.query(`DROP INDEX \`idx_branch_records_year_status\` ON \`branch_records\``);
    await queryRunner.query(`DROP TABLE \`branch_records\``);
    await queryRunner.query(`DROP INDEX \`idx_plan_item_records_record\` ON \`plan_item_records\``);
    await queryRunner.query(`DROP TABLE \`plan_item_records\``);
    await queryRunner.query(`DROP INDEX \`idx_plan_items_plan_month\` ON \`plan_items\``);
    await queryRunner.query(`DROP TABLE \`plan_items\``);
    await queryRunner.query(`DROP INDEX \`idx_branch_members_branch\` ON \`branch_members\``);
    await queryRunner.query(`DROP TABLE \`branch_members\``);
    await queryRunner.query(`DROP INDEX \`uq_branch_plans_branch_year\` ON \`branch_plans\``);
    await queryRunner.query(`DROP TABLE \`branch_plans\``);
  }
}
