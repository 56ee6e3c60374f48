import { MigrationInterface, QueryRunner } from 'typeorm';

/** Stored counts of each branch's records by year, kind and status, for the compliance overview; filled from the records there are. */
export class BranchWorkCounts1796593997600 implements MigrationInterface {
  name = 'BranchWorkCounts1796593997600';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE \`branch_work_counts\` (\`year\` smallint UNSIGNED NOT NULL, \`branch_id\` bigint UNSIGNED NOT NULL, \`kind\` varchar(40) NOT NULL, \`accepted\` int UNSIGNED NOT NULL DEFAULT '0', \`submitted\` int UNSIGNED NOT NULL DEFAULT '0', PRIMARY KEY (\`year\`, \`branch_id\`, \`kind\`)) ENGINE=InnoDB`);
    await queryRunner.query(
      `INSERT INTO branch_work_counts (year, branch_id, kind, accepted, submitted)
       SELECT year, branch_id, kind, SUM(status = 'accepted'), SUM(status = 'submitted')
         FROM branch_records WHERE status IN ('accepted', 'submitted') GROUP BY year, branch_id, kind`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE \`branch_work_counts\``);
  }
}
