import { MigrationInterface, QueryRunner } from 'typeorm';

export class Assessments1796609000000 implements MigrationInterface {
  name = 'Assessments1796609000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`assessment_schemes\` (\`year\` smallint UNSIGNED NOT NULL, \`scheme\` json NOT NULL, \`updated_by\` bigint UNSIGNED NOT NULL, \`updated_at\` datetime(3) NOT NULL, PRIMARY KEY (\`year\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`assessment_rounds\` (\`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), \`updated_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), \`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`year\` smallint UNSIGNED NOT NULL, \`scheme_year\` smallint UNSIGNED NOT NULL, \`scheme\` json NOT NULL, \`norms\` json NOT NULL, \`as_of\` datetime(3) NOT NULL, \`state\` enum ('computing', 'computed', 'published', 'failed') NOT NULL DEFAULT 'computing', \`total\` int UNSIGNED NOT NULL DEFAULT '0', \`done\` int UNSIGNED NOT NULL DEFAULT '0', \`attempt\` smallint UNSIGNED NOT NULL DEFAULT '0', \`error\` varchar(500) NULL, \`created_by\` bigint UNSIGNED NOT NULL, \`published_year\` smallint UNSIGNED NULL, \`published_by\` bigint UNSIGNED NULL, \`published_at\` datetime(3) NULL, INDEX \`idx_assessment_rounds_year\` (\`year\`), UNIQUE INDEX \`uq_assessment_rounds_published_year\` (\`published_year\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`assessment_results\` (\`round_id\` bigint UNSIGNED NOT NULL, \`branch_id\` bigint UNSIGNED NOT NULL, \`seq\` int UNSIGNED NOT NULL, \`unit_id\` bigint UNSIGNED NOT NULL, \`branch_kind\` varchar(20) NOT NULL, \`evidence\` json NULL, \`computed_at\` datetime(3) NULL, \`score\` decimal(5,2) NULL, \`grade\` varchar(20) NULL, \`rank\` int UNSIGNED NULL, INDEX \`idx_assessment_results_unit\` (\`round_id\`, \`unit_id\`), INDEX \`idx_assessment_results_chunk\` (\`round_id\`, \`seq\`), PRIMARY KEY (\`round_id\`, \`branch_id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`assessment_manual_scores\` (\`round_id\` bigint UNSIGNED NOT NULL, \`branch_id\` bigint UNSIGNED NOT NULL, \`indicator_key\` varchar(40) NOT NULL, \`score\` decimal(5,2) NOT NULL, \`reason\` varchar(500) NOT NULL, \`scored_by\` bigint UNSIGNED NOT NULL, \`scored_at\` datetime(3) NOT NULL, PRIMARY KEY (\`round_id\`, \`branch_id\`, \`indicator_key\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`assessment_adjustments\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`round_id\` bigint UNSIGNED NOT NULL, \`branch_id\` bigint UNSIGNED NOT NULL, \`indicator_key\` varchar(40) NOT NULL, \`score\` decimal(5,2) NOT NULL, \`reason\` varchar(500) NOT NULL, \`state\` enum ('proposed', 'accepted', 'rejected') NOT NULL DEFAULT 'proposed', \`proposed_by\` bigint UNSIGNED NOT NULL, \`decided_by\` bigint UNSIGNED NULL, \`decided_at\` datetime(3) NULL, \`decision_comment\` varchar(500) NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX \`idx_assessment_adjustments_branch\` (\`round_id\`, \`branch_id\`, \`indicator_key\`), INDEX \`idx_assessment_adjustments_round\` (\`round_id\`, \`state\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`CREATE TABLE \`assessment_audit\` (\`id\` bigint UNSIGNED NOT NULL AUTO_INCREMENT, \`round_id\` bigint UNSIGNED NOT NULL, \`branch_id\` bigint UNSIGNED NULL, \`indicator_key\` varchar(40) NULL, \`action\` enum ('manual', 'proposed', 'accepted', 'rejected', 'published') NOT NULL, \`old_score\` decimal(5,2) NULL, \`new_score\` decimal(5,2) NULL, \`reason\` varchar(500) NULL, \`actor_id\` bigint UNSIGNED NOT NULL, \`created_at\` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3), INDEX \`idx_assessment_audit_round\` (\`round_id\`, \`branch_id\`, \`id\`), PRIMARY KEY (\`id\`)) ENGINE=InnoDB`);
    await queryRunner.query(`ALTER TABLE \`assessment_results\` ADD CONSTRAINT \`FK_88bfc69188d8aaa9c28d7fcecad\` FOREIGN KEY (\`round_id\`) REFERENCES \`assessment_rounds\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`assessment_manual_scores\` ADD CONSTRAINT \`FK_09bebe605762d593e2273b82ab6\` FOREIGN KEY (\`round_id\`) REFERENCES \`assessment_rounds\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`assessment_adjustments\` ADD CONSTRAINT \`FK_87a4da6162a50cd84ee6fdb7521\` FOREIGN KEY (\`round_id\`) REFERENCES \`assessment_rounds\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE \`assessment_audit\` ADD CONSTRAINT \`FK_316daf8711437a3228d9e85b79c\` FOREIGN KEY (\`round_id\`) REFERENCES \`assessment_rounds\`(\`id\`) ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE \`assessment_audit\` DROP FOREIGN KEY \`FK_316daf8711437a3228d9e85b79c\``);
    await queryRunner.query(`ALTER TABLE \`assessment_adjustments\` DROP FOREIGN KEY \`FK_87a4da6162a50cd84ee6fdb7521\``);
    await queryRunner.query(`ALTER TABLE \`assessment_manual_scores\` DROP FOREIGN KEY \`FK_09bebe605762d593e2273b82ab6\``);
    await queryRunner.query(`ALTER TABLE \`assessment_results\` DROP FOREIGN KEY \`FK_88bfc69188d8aaa9c28d7fcecad\``);
    await queryRunner.query(`DROP INDEX \`idx_assessment_audit_round\` ON \`assessment_audit\``);
    await queryRunner.query(`DROP TABLE \`assessment_audit\``);
    await queryRunner.query(`DROP INDEX \`idx_assessment_adjustments_round\` ON \`assessment_adjustments\``);
    await queryRunner.query(`DROP INDEX \`idx_assessment_adjustments_branch\` ON \`assessment_adjustments\``);
    await queryRunner.query(`DROP TABLE \`assessment_adjustments\``);
    await queryRunner.query(`DROP TABLE \`assessment_manual_scores\``);
    await queryRunner.query(`DROP INDEX \`idx_assessment_results_chunk\` ON \`assessment_results\``);
    await queryRunner.query(`DROP INDEX \`idx_assessment_results_unit\` ON \`assessment_results\``);
    await queryRunner.query(`DROP TABLE \`assessment_results\``);
    await queryRunner.query(`DROP INDEX \`uq_assessment_rounds_published_year\` ON \`assessment_rounds\``);
    await queryRunner.query(`DROP INDEX \`idx_assessment_rounds_year\` ON \`assessment_rounds\``);
    await queryRunner.query(`DROP TABLE \`assessment_rounds\``);
    await queryRunner.query(`DROP TABLE \`assessment_schemes\``);
  }
}
